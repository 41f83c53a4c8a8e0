"""The database's own guards, for writes that go around the forms (update(), bulk_create, raw SQL).

The CHECK constraints cover one row: choices hold one of their values, a unit code has no "/".
The triggers cover what one row cannot show:

* a unit whose parent or code changes must carry its path (its parent's path, its code and "/")
  and may not be placed inside its own subtree, so update(parent=…) cannot make a cycle or leave
  a stale path behind Unit.save's back (only a unit detached to the top with its path and code
  unchanged passes: restore_data detaches every unit that way before deleting them all);
* a tally's counts add up to no more than its total and count only levels of its regime;
* the ballots of one meeting (the votes of one unit and year with the same number present)
  add up to no more than those present.

The last two span several rows that a legitimate change writes one at a time (the admin saves
the tally, then its counts), so they are checked when the transaction commits. PostgreSQL has
deferred constraint triggers for that. SQLite postpones only foreign keys: its triggers record a
figure that does not add up in ratings_unsettled, pointing at a refusal that ratings_refusal never
holds, and delete the record once the figure adds up again; COMMIT fails while one is left.

On SQLite most changes to a table (AlterField, AddConstraint, RemoveField…) rebuild it, which
drops its triggers, and rebuilding Tally or TallyCount fails on the other's triggers. A later
migration that changes Unit, Tally, TallyCount or Vote therefore takes the guards down first and
puts them back last (tests/test_database_guards.py fails while they are missing):

    guards = importlib.import_module("ratings.migrations.0007_database_guards")
    operations = [
        migrations.RunPython(guards.remove_guards, guards.install_guards),
        ...,
        migrations.RunPython(guards.install_guards, guards.remove_guards),
    ]
"""
from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION ratings_unit_keeps_its_place() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        parent_path varchar;
    BEGIN
        IF NEW.parent_id IS NOT NULL THEN
            SELECT path INTO parent_path FROM ratings_unit WHERE id = NEW.parent_id;
            IF starts_with(parent_path, OLD.path) THEN
                RAISE EXCEPTION 'unit % cannot be placed under % inside its own subtree', NEW.code, parent_path
                    USING ERRCODE = 'check_violation';
            END IF;
        ELSIF NEW.code = OLD.code AND NEW.path = OLD.path THEN
            RETURN NULL;  -- detached where it stood: restore_data does so to every unit it then deletes
        END IF;
        IF NEW.path IS DISTINCT FROM coalesce(parent_path, '/') || NEW.code || '/' THEN
            RAISE EXCEPTION 'unit %: the path % is not its parent''s path followed by its code', NEW.code, NEW.path
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER ratings_unit_keeps_its_place AFTER UPDATE OF parent_id, code ON ratings_unit
        FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id OR NEW.code IS DISTINCT FROM OLD.code)
        EXECUTE FUNCTION ratings_unit_keeps_its_place()
    """,
    """
    CREATE FUNCTION ratings_tally_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        tally ratings_tally%ROWTYPE;
        counted bigint;
    BEGIN
        IF TG_TABLE_NAME = 'ratings_tally' THEN
            SELECT * INTO tally FROM ratings_tally WHERE id = NEW.id FOR NO KEY UPDATE;
        ELSE
            SELECT * INTO tally FROM ratings_tally WHERE id = NEW.tally_id FOR NO KEY UPDATE;
        END IF;
        IF NOT FOUND THEN
            RETURN NULL;  -- deleted before the commit
        END IF;
        IF EXISTS (
            SELECT FROM ratings_tallycount WHERE tally_id = tally.id AND NOT starts_with(level_id, tally.regime_id || ':')
        ) THEN
            RAISE EXCEPTION 'tally % counts a level outside the scale of regime %', tally.id, tally.regime_id
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT sum("count") INTO counted FROM ratings_tallycount WHERE tally_id = tally.id;
        IF counted > tally.total THEN
            RAISE EXCEPTION 'the counts of tally % add up to %, more than its total %', tally.id, counted, tally.total
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE CONSTRAINT TRIGGER ratings_tally_adds_up AFTER UPDATE OF total, regime_id ON ratings_tally
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.total IS DISTINCT FROM OLD.total OR NEW.regime_id IS DISTINCT FROM OLD.regime_id)
        EXECUTE FUNCTION ratings_tally_adds_up()
    """,
    """
    CREATE CONSTRAINT TRIGGER ratings_tallycount_adds_up AFTER INSERT OR UPDATE OF tally_id, level_id, "count"
        ON ratings_tallycount DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        EXECUTE FUNCTION ratings_tally_adds_up()
    """,
    """
    CREATE FUNCTION ratings_ballots_within_present() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        cast_votes bigint;
    BEGIN
        -- One writer at a time per unit: two transactions adding ballots to one meeting
        -- cannot each pass on a snapshot without the other's.
        PERFORM FROM ratings_unit WHERE id = NEW.unit_id FOR NO KEY UPDATE;
        SELECT sum(votes_for) INTO cast_votes FROM ratings_vote
            WHERE unit_id = NEW.unit_id AND year = NEW.year AND present = NEW.present;
        IF cast_votes > NEW.present THEN
            RAISE EXCEPTION 'the ballots of unit % in % add up to %, more than the % present',
                NEW.unit_id, NEW.year, cast_votes, NEW.present
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE CONSTRAINT TRIGGER ratings_ballots_within_present
        AFTER INSERT OR UPDATE OF unit_id, year, votes_for, present ON ratings_vote
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.present IS NOT NULL)
        EXECUTE FUNCTION ratings_ballots_within_present()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS ratings_ballots_within_present ON ratings_vote",
    "DROP FUNCTION IF EXISTS ratings_ballots_within_present()",
    "DROP TRIGGER IF EXISTS ratings_tallycount_adds_up ON ratings_tallycount",
    "DROP TRIGGER IF EXISTS ratings_tally_adds_up ON ratings_tally",
    "DROP FUNCTION IF EXISTS ratings_tally_adds_up()",
    "DROP TRIGGER IF EXISTS ratings_unit_keeps_its_place ON ratings_unit",
    "DROP FUNCTION IF EXISTS ratings_unit_keeps_its_place()",
]


def settle_tally(tally):
    """SQLite: record the tally whose id is the SQL expression `tally` while its counts do not fit it, else clear it."""
    figure = f"'tally ' || {tally}"
    return f"""
        DELETE FROM ratings_unsettled WHERE figure IN ({figure} || ' total', {figure} || ' scale');
        INSERT INTO ratings_unsettled (figure, refusal)
            SELECT {figure} || ' total', 'the counts of tally ' || t.id || ' add up to more than its total ' || t.total
            FROM ratings_tally t
            WHERE t.id = {tally} AND (SELECT sum(c."count") FROM ratings_tallycount c WHERE c.tally_id = t.id) > t.total;
        INSERT INTO ratings_unsettled (figure, refusal)
            SELECT {figure} || ' scale', 'tally ' || t.id || ' counts a level outside the scale of regime ' || t.regime_id
            FROM ratings_tally t
            WHERE t.id = {tally} AND EXISTS (
                SELECT 1 FROM ratings_tallycount c
                WHERE c.tally_id = t.id AND substr(c.level_id, 1, length(t.regime_id) + 1) <> t.regime_id || ':'
            );"""


def settle_meeting(row):
    """SQLite: record the meeting of vote `row` (NEW or OLD) while its ballots add up to more than those present."""
    figure = f"'ballots ' || {row}.unit_id || ' ' || {row}.year || ' ' || {row}.present"
    return f"""
        DELETE FROM ratings_unsettled WHERE figure = {figure};
        INSERT INTO ratings_unsettled (figure, refusal)
            SELECT {figure}, 'the ballots of unit ' || {row}.unit_id || ' in ' || {row}.year
                || ' add up to more than the ' || {row}.present || ' present'
            WHERE (
                SELECT sum(v.votes_for) FROM ratings_vote v
                WHERE v.unit_id = {row}.unit_id AND v.year = {row}.year AND v.present = {row}.present
            ) > {row}.present;"""


SQLITE = [
    """
    CREATE TRIGGER ratings_unit_keeps_its_place AFTER UPDATE OF parent_id, code ON ratings_unit
    WHEN NEW.parent_id IS NOT OLD.parent_id OR NEW.code IS NOT OLD.code
    BEGIN
        SELECT RAISE(ABORT, 'a unit cannot be placed inside its own subtree')
        FROM ratings_unit p WHERE p.id = NEW.parent_id AND substr(p.path, 1, length(OLD.path)) = OLD.path;
        SELECT RAISE(ABORT, 'a moved or renamed unit must carry its path: its parent''s path, its code and /')
        WHERE NEW.path IS NOT coalesce((SELECT p.path FROM ratings_unit p WHERE p.id = NEW.parent_id), '/') || NEW.code || '/'
            AND NOT (NEW.parent_id IS NULL AND NEW.code = OLD.code AND NEW.path = OLD.path);
    END
    """,
    # Always empty, so a row of ratings_unsettled fails its foreign key at COMMIT.
    "CREATE TABLE ratings_refusal (reason text NOT NULL PRIMARY KEY)",
    """
    CREATE TABLE ratings_unsettled (
        figure text NOT NULL PRIMARY KEY,
        refusal text NOT NULL REFERENCES ratings_refusal (reason) DEFERRABLE INITIALLY DEFERRED
    )
    """,
    f"""
    CREATE TRIGGER ratings_tallycount_inserted AFTER INSERT ON ratings_tallycount
    BEGIN {settle_tally("NEW.tally_id")}
    END
    """,
    f"""
    CREATE TRIGGER ratings_tallycount_updated AFTER UPDATE OF tally_id, level_id, "count" ON ratings_tallycount
    BEGIN {settle_tally("OLD.tally_id")} {settle_tally("NEW.tally_id")}
    END
    """,
    f"""
    CREATE TRIGGER ratings_tallycount_deleted AFTER DELETE ON ratings_tallycount
    BEGIN {settle_tally("OLD.tally_id")}
    END
    """,
    f"""
    CREATE TRIGGER ratings_tally_updated AFTER UPDATE OF total, regime_id ON ratings_tally
    WHEN NEW.total IS NOT OLD.total OR NEW.regime_id IS NOT OLD.regime_id
    BEGIN {settle_tally("NEW.id")}
    END
    """,
    f"""
    CREATE TRIGGER ratings_vote_inserted AFTER INSERT ON ratings_vote
    BEGIN {settle_meeting("NEW")}
    END
    """,
    f"""
    CREATE TRIGGER ratings_vote_updated AFTER UPDATE OF unit_id, year, votes_for, present ON ratings_vote
    BEGIN {settle_meeting("OLD")} {settle_meeting("NEW")}
    END
    """,
    f"""
    CREATE TRIGGER ratings_vote_deleted AFTER DELETE ON ratings_vote
    BEGIN {settle_meeting("OLD")}
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS ratings_vote_deleted",
    "DROP TRIGGER IF EXISTS ratings_vote_updated",
    "DROP TRIGGER IF EXISTS ratings_vote_inserted",
    "DROP TRIGGER IF EXISTS ratings_tally_updated",
    "DROP TRIGGER IF EXISTS ratings_tallycount_deleted",
    "DROP TRIGGER IF EXISTS ratings_tallycount_updated",
    "DROP TRIGGER IF EXISTS ratings_tallycount_inserted",
    "DROP TABLE IF EXISTS ratings_unsettled",
    "DROP TABLE IF EXISTS ratings_refusal",
    "DROP TRIGGER IF EXISTS ratings_unit_keeps_its_place",
]

GUARDS = {"postgresql": (POSTGRESQL, POSTGRESQL_REVERSE), "sqlite": (SQLITE, SQLITE_REVERSE)}


def run_guards(guards, schema_editor, *, install):
    """Take down the guards of `guards` (a GUARDS dict), then with `install` put them (back) up."""
    statements, remove = guards[schema_editor.connection.vendor]
    for statement in remove + (statements if install else []):
        schema_editor.execute(statement, params=None)


def install_guards(apps, schema_editor):
    run_guards(GUARDS, schema_editor, install=True)


def remove_guards(apps, schema_editor):
    run_guards(GUARDS, schema_editor, install=False)


class Migration(migrations.Migration):

    dependencies = [
        ("ratings", "0006_data_version"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="criteriongrade",
            constraint=models.CheckConstraint(
                condition=models.Q(("stage__in", ["self", "proposed", "approved", "unknown"])), name="criterion_stage_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="criteriongrade",
            constraint=models.CheckConstraint(
                condition=models.Q(("grade__in", ["xuat_sac", "tot", "trung_binh", "kem"])), name="criterion_grade_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(("stage__in", ["self", "proposed", "approved", "unknown"])), name="rating_stage_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="tally",
            constraint=models.CheckConstraint(
                condition=models.Q(("subject__in", ["collective", "individual"])), name="tally_subject_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="tally",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "member_kind__in",
                        [
                            "",
                            "dang_bo_tinh",
                            "ban_thuong_vu",
                            "dang_bo_truc_thuoc",
                            "dang_doan",
                            "ban_can_su",
                            "to_chuc_co_so_dang",
                            "chi_bo",
                            "other",
                        ],
                    )
                ),
                name="tally_member_kind_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="tally",
            constraint=models.CheckConstraint(
                condition=models.Q(("stage__in", ["self", "proposed", "approved", "unknown"])), name="tally_stage_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.CheckConstraint(
                condition=models.Q(("code__regex", "\\A[A-Za-z0-9_-]+\\Z")),
                name="unit_code_characters",
                violation_error_message="Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-) và gạch dưới (_).",
            ),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "dang_bo_tinh",
                            "ban_thuong_vu",
                            "dang_bo_truc_thuoc",
                            "dang_doan",
                            "ban_can_su",
                            "to_chuc_co_so_dang",
                            "chi_bo",
                            "other",
                        ],
                    )
                ),
                name="unit_kind_known",
            ),
        ),
        # After the constraints: on SQLite adding one rebuilds the table, which drops its triggers.
        migrations.RunPython(install_guards, remove_guards),
    ]
