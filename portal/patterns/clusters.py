"""Near-duplicate complaint texts, clustered with MinHash and locality-sensitive hashing (datasketch).

Computed by the worker (and `flask patterns refresh`) for the last year and kept in a table, so the patterns page
only reads. Texts are the ones the agency may see (redacted for a tố cáo), folded so accents do not matter."""
from datetime import timedelta

from datasketch import MinHash, MinHashLSH
from sqlalchemy import ForeignKey, Integer, delete, func, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.cases.visibility import visible_cases_clause
from portal.complaints.models import Complaint
from portal.domain.enums import Kind
from portal.domain.text import fold
from portal.extensions import db
from portal.timeutil import utcnow

NUM_PERM = 64
THRESHOLD = 0.6  # estimated Jaccard similarity of word 3-grams
WINDOW = timedelta(days=365)


class TextCluster(db.Model):
    """Which cluster of near-identical texts a complaint belongs to (only complaints with a twin are stored)."""

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), primary_key=True)
    cluster: Mapped[int] = mapped_column(Integer, index=True)


def shingles(text):
    words = fold(text).split()
    return {" ".join(words[i:i + 3]).encode() for i in range(max(1, len(words) - 2))}


def _texts(since, denunciations):
    """(id, text) of the tố cáo filed since `since` (their redacted text), or of every other kind."""
    is_denunciation = Complaint.kind == Kind.TO_CAO.value
    rows = db.session.execute(select(
        Complaint.id, Complaint.title, Complaint.description, Complaint.redacted_title,
        Complaint.redacted_description).where(Complaint.created_at >= since,
                                              is_denunciation if denunciations else ~is_denunciation)
        .order_by(Complaint.id).execution_options(yield_per=5000))
    for row in rows:
        if denunciations:
            yield row.id, f"{row.redacted_title or ''} {row.redacted_description or ''}"
        else:
            yield row.id, f"{row.title} {row.description}"


def find_clusters(documents):
    """[(id, text)] -> {id: cluster id} for texts that have at least one near twin (union of LSH candidates)."""
    ids, sets = [], []
    for complaint_id, text in documents:
        found = shingles(text)
        if len(found) >= 3:
            ids.append(complaint_id)
            sets.append(list(found))
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    hashes = MinHash.bulk(sets, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for complaint_id, minhash in zip(ids, hashes, strict=True):
            session.insert(complaint_id, minhash)
    parent = {}

    def root(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    by_id = dict(zip(ids, hashes, strict=True))
    for complaint_id, minhash in by_id.items():
        for other in lsh.query(minhash):  # candidates; join only true twins, so chains cannot grow loose
            if other != complaint_id and by_id[other].jaccard(minhash) >= THRESHOLD:
                parent[root(other)] = root(complaint_id)
    members = set(parent) | {root(x) for x in parent}
    return {x: root(x) for x in members}


def refresh_clusters():
    """Recompute the clusters of the last year and store them; returns how many complaints have a twin."""
    since = utcnow() - WINDOW
    # A tố cáo is clustered only with other tố cáo: beside its filer's named complaints it would unmask them.
    clusters = find_clusters(_texts(since, denunciations=True)) | find_clusters(_texts(since, denunciations=False))
    db.session.execute(delete(TextCluster))
    if clusters:
        db.session.execute(insert(TextCluster), [{"complaint_id": c, "cluster": k} for c, k in clusters.items()])
    db.session.commit()
    return len(clusters)


def clusters_since(since, min_size=2, limit=50):
    """The largest clusters among complaints filed since `since`: [(cluster, size)]."""
    query = select(TextCluster.cluster, func.count().label("size")).join(
        Complaint, Complaint.id == TextCluster.complaint_id).where(Complaint.created_at >= since) \
        .group_by(TextCluster.cluster).having(func.count() >= min_size).order_by(func.count().desc()).limit(limit)
    return db.session.execute(query).all()


def cluster_members(cluster, user):
    """The complaints of one cluster that `user` may see."""
    return db.session.scalars(select(Complaint).join(TextCluster, TextCluster.complaint_id == Complaint.id)
                              .where(TextCluster.cluster == cluster, visible_cases_clause(user))
                              .order_by(Complaint.created_at)).all()
