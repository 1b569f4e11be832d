"""The demo: dates relative to the seeding day, an account for every demo expert, and a history of
requests, offers and engagements that shows the workflow in every state. Loaded by `seeding`."""
