"""Dialogs: the forms and questions that open over a screen and return an answer."""
