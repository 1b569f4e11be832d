"""Operations: the audit trail's pages and checks, log hygiene, denied-access records, backups."""
