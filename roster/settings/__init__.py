"""System settings admins change in the app: response targets, reply-by, weights, thresholds."""
