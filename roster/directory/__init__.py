"""The CSAP panel, the focal-point directory and the admins' list of commands."""
