"""The example's one model; the view has none (autogenerate cannot see views)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mcpgateway.db.base import Base


class Tool(Base):
    """A tool."""

    __tablename__ = "tools"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(sa.String(255))
    enabled: Mapped[bool]


metadata = Base.metadata
__all__ = ["Base", "Tool", "metadata"]
