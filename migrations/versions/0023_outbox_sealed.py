"""emails in the outbox sealed at rest, and nothing of a sent one kept

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08

Rows written before held every email in full (addresses, texts, private links, sign-in codes). A sent one keeps
only which email it was; one still to send (or failed, for `outbox retry`) is sealed under the app's secret key
(portal/outbox/sealing.py), as new rows are.
"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

OUTBOX = sa.table("outbox_message", sa.column("id", sa.Integer), sa.column("topic", sa.String),
                  sa.column("status", sa.String), sa.column("payload", sa.JSON))


def upgrade():
    from portal.outbox.sealing import SEALED, seal
    connection = op.get_bind()
    rows = connection.execute(sa.select(OUTBOX.c.id, OUTBOX.c.status, OUTBOX.c.payload)
                              .where(OUTBOX.c.topic == "email")).all()
    for row_id, status, payload in rows:
        payload = json.loads(payload) if isinstance(payload, str) else payload
        if SEALED in payload:
            continue
        kept = {"email": "", "recipients": 1}
        if status != "done":
            kept[SEALED] = seal(payload)
        connection.execute(sa.update(OUTBOX).where(OUTBOX.c.id == row_id).values(payload=kept))


def downgrade():
    pass  # what was dropped cannot come back, and sealed rows are still sent
