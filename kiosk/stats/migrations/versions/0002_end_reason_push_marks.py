"""Add sessions.end_reason, an index on sessions.day, and push high-water marks.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stats_sessions") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(16), nullable=False, server_default="finished"))
    op.create_index("ix_stats_sessions_day", "stats_sessions", ["day"])
    op.create_table(
        "stats_push_marks",
        sa.Column("target", sa.String(64), primary_key=True),
        sa.Column("last_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stats_push_marks")
    op.drop_index("ix_stats_sessions_day", "stats_sessions")
    with op.batch_alter_table("stats_sessions") as batch:
        batch.drop_column("end_reason")
