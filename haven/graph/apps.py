"""App configuration for graph."""

from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "haven.graph"
    label = "graph"
