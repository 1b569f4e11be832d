"""Expert profiles: topics, languages, regions, clearance, vetting, availability, panels."""
