from .closures import ClosureDay
from .geo import District, Province, SubDistrict
from .people import Person
from .positions import ActingAssignment, Holding, Position, PositionKind
from .units import Unit, UnitKind

__all__ = [
    "ActingAssignment",
    "ClosureDay",
    "District",
    "Holding",
    "Person",
    "Position",
    "PositionKind",
    "Province",
    "SubDistrict",
    "Unit",
    "UnitKind",
]
