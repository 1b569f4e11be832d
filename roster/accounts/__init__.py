"""Users, roles, login, invitations and API tokens."""
