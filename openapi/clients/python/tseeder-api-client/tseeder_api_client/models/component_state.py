from enum import StrEnum

class ComponentState(StrEnum):
    DEGRADED = "degraded"
    MAINTENANCE = "maintenance"
    MAJOR_OUTAGE = "major_outage"
    OPERATIONAL = "operational"
    PARTIAL_OUTAGE = "partial_outage"

    def __str__(self) -> str:
        return str(self.value)
