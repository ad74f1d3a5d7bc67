"""Meridian's matching engine: a pure library (no Django, nothing of ``meridian``).

Participants come in as frozen dataclasses (parsed from the participant file,
see ``participants``) and go out as assignments with explanations.
"""
