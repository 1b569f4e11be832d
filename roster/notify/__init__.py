"""Notifications and mail: what users are told in the app, the transactional outbox, its
delivery worker and the transports it sends through."""
