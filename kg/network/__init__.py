"""Actor networks: projections of the knowledge graph into networkx, their analytics and exports."""
from .projection import FilterError, Filters, project

__all__ = ["FilterError", "Filters", "project"]
