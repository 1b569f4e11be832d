"""`make load`: two gunicorn servers on one PostgreSQL, Redis for the limits, a test SMTP server
and the mail sender, under a bounded locust load; then the invariants (`bench.load.run`)."""
