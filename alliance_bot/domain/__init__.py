"""Discord-free domain logic: facts, countries, alliances, quiz rules, timeline schedule."""
