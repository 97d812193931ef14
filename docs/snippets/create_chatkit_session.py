"""Your backend: create a ChatKit session whose workflow state carries the chart session id.

The page makes the chart session id (the one it posts to update-context) and sends it with its
request for a ChatKit client secret; the workflow's agent then forwards it to chart_control.
"""

from openai import OpenAI


def create_chatkit_session(user_id: str, chart_session_id: str, workflow_id: str) -> str:
    """Return the ChatKit client secret for the page."""
    client = OpenAI()  # OPENAI_API_KEY from the environment
    session = client.beta.chatkit.sessions.create(
        user=user_id,
        workflow={"id": workflow_id, "state_variables": {"chart_session_id": chart_session_id}},
    )
    return session.client_secret
