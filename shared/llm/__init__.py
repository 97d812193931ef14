"""The optional OpenAI planner for free-form queries the rules planner cannot map, and the one
ceiling on model spend (`spend`) that it and the chat's agent are under.

Imported only on those paths: the rules path never loads `openai` (cold start).
"""
