"""Compare two Detente databases table by table, row by row (time stamps left out).

Usage: python scripts/compare_databases.py old.db new.db  (exit status 1 when they differ)
"""

import sqlite3
import sys

TABLES = (
    "articles",
    "mentions",
    "event_mentions",
    "events",
    "quotes",
    "amounts",
    "actors",
    "stories",
    "failures",
    "sources",
)
SKIP = ("ingested_at", "fetched_at", "created_at", "recorded_at", "updated_at", "at")


def rows(db, table):
    con = sqlite3.connect(db)
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
    keep = [c for c in cols if c not in SKIP and not c.endswith("_at")]
    out = sorted(map(repr, con.execute(f"SELECT {', '.join(keep)} FROM {table}")))
    return keep, out


def main(a, b):
    same = True
    for table in TABLES:
        cols, ra = rows(a, table)
        _, rb = rows(b, table)
        diff = sum(x != y for x, y in zip(ra, rb, strict=False)) + abs(len(ra) - len(rb))
        same &= diff == 0
        print(
            f"{table:<15} {len(ra):>6} rows vs {len(rb):>6}, {diff} differ (columns: {len(cols)})"
        )
    print("IDENTICAL" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
