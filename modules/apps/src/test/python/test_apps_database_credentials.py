"""Unit tests of the apps-database credentials job's logic (run by DatabaseCredentialsTest with
python3 -m unittest). The SCRAM verifier is checked against RFC 7677's published exchange; the
reconcile steps against in-memory stand-ins for PostgreSQL and Secrets Manager that record what
the job asks of them (the real ones only exist on a real account: README, emulator table)."""
import base64
import datetime
import hashlib
import hmac
import importlib.util
import os
import sys
import unittest

SCRIPT = os.environ["CREDENTIALS_SCRIPT"]
spec = importlib.util.spec_from_file_location("credentials", SCRIPT)
job = importlib.util.module_from_spec(spec)
spec.loader.exec_module(job)

NOW = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.timezone.utc)


class ScramVerifier(unittest.TestCase):
    def test_rfc7677_exchange_verifies_against_the_stored_keys(self):
        # RFC 7677 section 3: user "user", password "pencil", this salt, 4096 iterations
        salt = base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ==")
        verifier = job.scram_sha256_verifier("pencil", salt=salt)
        method, rest = verifier.split("$", 1)
        iterations_salt, keys = rest.split("$")
        stored_key, server_key = (base64.b64decode(k) for k in keys.split(":"))
        self.assertEqual("SCRAM-SHA-256", method)
        self.assertEqual("4096:W22ZaJ0SNY7soEsUEjb6gQ==", iterations_salt)
        auth_message = (b"n=user,r=rOprNGfwEbeRWgbNEkqO,"
                        b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
                        b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
        # the server signature the RFC prints (v=...) comes from the stored ServerKey
        signature = hmac.new(server_key, auth_message, hashlib.sha256).digest()
        self.assertEqual("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", base64.b64encode(signature).decode())
        # and the client proof the RFC prints (p=...) is accepted with the StoredKey
        proof = base64.b64decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        client_signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
        client_key = bytes(a ^ b for a, b in zip(proof, client_signature))
        self.assertEqual(stored_key, hashlib.sha256(client_key).digest())

    def test_a_wrong_password_gives_other_keys_and_each_call_a_new_salt(self):
        salt = base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ==")
        self.assertNotEqual(job.scram_sha256_verifier("pencil", salt=salt), job.scram_sha256_verifier("pencil2", salt=salt))
        self.assertNotEqual(job.scram_sha256_verifier("pencil"), job.scram_sha256_verifier("pencil"))


class Helpers(unittest.TestCase):
    def test_app_secrets(self):
        self.assertEqual({"airflow": "a/airflow", "mlflow": "a/mlflow"},
                         job.parse_app_secrets("airflow=a/airflow,mlflow=a/mlflow"))
        for bad in ("airflow", "airflow=", "=x", "air-flow=x"):
            with self.assertRaises(ValueError):
                job.parse_app_secrets(bad)

    def test_rotation_is_due_after_the_period_and_forced_only_after_the_minimum_age(self):
        login = {"rotated_at": (NOW - datetime.timedelta(days=29, hours=23)).isoformat()}
        self.assertFalse(job.rotation_due(login, NOW, 30, False, 60))
        self.assertTrue(job.rotation_due({"rotated_at": (NOW - datetime.timedelta(days=30)).isoformat()}, NOW, 30, False, 60))
        young = {"rotated_at": (NOW - datetime.timedelta(minutes=59)).isoformat()}
        self.assertFalse(job.rotation_due(young, NOW, 30, True, 60))
        self.assertTrue(job.rotation_due({"rotated_at": (NOW - datetime.timedelta(minutes=61)).isoformat()}, NOW, 30, True, 60))

    def test_the_two_logins_alternate(self):
        self.assertEqual("airflow_clone", job.other_login("airflow", "airflow"))
        self.assertEqual("airflow", job.other_login("airflow", "airflow_clone"))


class FakeDb:
    host, port = "db.internal", 5432

    def __init__(self):
        self.passwords, self.calls = {}, []

    def ensure_roles_and_database(self, app):
        self.calls.append(("roles", app))

    def hand_over_objects(self, app):
        self.calls.append(("hand_over", app))

    def set_password(self, role, password):
        self.passwords[role] = password
        self.calls.append(("set", role))

    def can_login(self, user, password, dbname):
        return self.passwords.get(user) == password


class FakeSecrets:
    def __init__(self, value=None):
        self.value, self.writes, self.counter = value, [], 0

    def read(self, secret_id):
        return None if self.value is None else dict(self.value)

    def write(self, secret_id, value):
        self.value = dict(value)
        self.writes.append(dict(value))

    def random_password(self):
        self.counter += 1
        return "Pw%d" % self.counter


class Reconcile(unittest.TestCase):
    def run_job(self, db, secrets, force=False, now=NOW):
        job.reconcile_app(db, secrets, "airflow", "x/airflow", now, 30, force, 60)

    def test_first_run_sets_the_apps_own_role_then_writes_the_secret(self):
        db, secrets = FakeDb(), FakeSecrets()
        self.run_job(db, secrets)
        self.assertEqual([("roles", "airflow"), ("hand_over", "airflow"), ("set", "airflow")], db.calls)
        self.assertEqual("airflow", secrets.value["username"])
        self.assertTrue(db.can_login("airflow", secrets.value["password"], "airflow"))
        self.assertEqual({"engine", "host", "port", "dbname", "username", "password", "rotated_at"}, set(secrets.value))
        self.assertEqual(("db.internal", "5432", "airflow"), (secrets.value["host"], secrets.value["port"], secrets.value["dbname"]))

    def test_a_rerun_changes_nothing(self):
        db, secrets = FakeDb(), FakeSecrets()
        self.run_job(db, secrets)
        self.run_job(db, secrets, now=NOW + datetime.timedelta(hours=1))
        self.assertEqual(1, len(secrets.writes))
        self.assertEqual(1, sum(1 for c in db.calls if c[0] == "set"))

    def test_rotation_moves_the_apps_to_the_other_login_and_keeps_the_old_one_valid(self):
        db, secrets = FakeDb(), FakeSecrets()
        self.run_job(db, secrets)
        first = dict(secrets.value)
        self.run_job(db, secrets, now=NOW + datetime.timedelta(days=30))
        second = dict(secrets.value)
        self.assertEqual("airflow_clone", second["username"])
        self.assertNotEqual(first["password"], second["password"])
        # pods still holding the first login keep working until the next rotation
        self.assertTrue(db.can_login(first["username"], first["password"], "airflow"))
        self.assertTrue(db.can_login(second["username"], second["password"], "airflow"))
        self.run_job(db, secrets, now=NOW + datetime.timedelta(days=60))
        self.assertEqual("airflow", secrets.value["username"])
        self.assertFalse(db.can_login(first["username"], first["password"], "airflow"), "the oldest login is gone")
        self.assertTrue(db.can_login(second["username"], second["password"], "airflow"), "the previous one still works")

    def test_a_forced_rotation_waits_for_the_minimum_age(self):
        db, secrets = FakeDb(), FakeSecrets()
        self.run_job(db, secrets)
        self.run_job(db, secrets, force=True, now=NOW + datetime.timedelta(minutes=10))
        self.assertEqual(1, len(secrets.writes))
        self.run_job(db, secrets, force=True, now=NOW + datetime.timedelta(minutes=61))
        self.assertEqual(2, len(secrets.writes))

    def test_a_login_the_database_lost_is_set_again(self):
        db, secrets = FakeDb(), FakeSecrets()
        self.run_job(db, secrets)
        db.passwords.clear()  # e.g. restored from a snapshot taken before the first run
        self.run_job(db, secrets, now=NOW + datetime.timedelta(hours=1))
        self.assertTrue(db.can_login(secrets.value["username"], secrets.value["password"], "airflow"))
        self.assertEqual(1, len(secrets.writes), "repaired in the database, the secret unchanged")

    def test_a_new_password_that_does_not_log_in_leaves_the_secret_alone(self):
        db, secrets = FakeDb(), FakeSecrets()
        self.run_job(db, secrets)
        before = dict(secrets.value)
        db.can_login = lambda user, password, dbname: user == before["username"]
        with self.assertRaises(RuntimeError):
            self.run_job(db, secrets, now=NOW + datetime.timedelta(days=31))
        self.assertEqual(before, secrets.value)


class NothingSecretIsPrinted(unittest.TestCase):
    def test_no_password_in_the_output(self):
        import contextlib
        import io

        out = io.StringIO()
        db, secrets = FakeDb(), FakeSecrets()
        with contextlib.redirect_stdout(out):
            job.reconcile_app(db, secrets, "airflow", "x/airflow", NOW, 30, False, 60)
            job.reconcile_app(db, secrets, "airflow", "x/airflow", NOW + datetime.timedelta(days=31), 30, False, 60)
        self.assertIn("rotated", out.getvalue())
        self.assertNotIn("Pw1", out.getvalue())
        self.assertNotIn("Pw2", out.getvalue())


if __name__ == "__main__":
    sys.exit(unittest.main())
