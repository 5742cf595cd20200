"""Actor networks: projections of the knowledge graph into networkx, their analytics and exports."""
from .projection import KINDS, TYPES, FilterError, Filters, project

__all__ = ["KINDS", "TYPES", "FilterError", "Filters", "project"]
