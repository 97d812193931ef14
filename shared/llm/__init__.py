"""The optional OpenAI planner for free-form queries the rules planner cannot map.

Imported only on that path: the rules path never loads `openai` (cold start).
"""
