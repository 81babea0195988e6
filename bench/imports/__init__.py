"""Evaluation of the import parser on the shared sample exports."""
