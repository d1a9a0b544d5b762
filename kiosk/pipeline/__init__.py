"""The conversational turn: events (events.py), decisions (turn.py, quality.py), threads (conversation.py)."""
