"""Rules planner: deterministic natural language -> what the query names and asks for."""
