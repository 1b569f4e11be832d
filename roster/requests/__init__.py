"""Crisis requests: the workflow (states, transitions) and matching experts to a request."""
