"""Roster: the alliance's vetted network of HS and WPS experts (`roster.app.create_app`)."""
