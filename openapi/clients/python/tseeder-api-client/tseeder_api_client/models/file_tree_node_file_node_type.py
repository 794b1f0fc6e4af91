from enum import StrEnum

class FileTreeNodeFileNodeType(StrEnum):
    FILE = "file"

    def __str__(self) -> str:
        return str(self.value)
