"""Reference data: topics, clearance levels, commands, countries and languages."""
