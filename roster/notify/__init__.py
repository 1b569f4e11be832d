"""Mail: the transactional outbox, its delivery worker and the transports it sends through."""
