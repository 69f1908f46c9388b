"""The read-replica router (fasthold.dbrouter): inside an opted-in view the ORM's reads go to the
replica, except who-may-see-what and the cache; writes always go to the primary; without a replica
configured it says nothing. The whole path (two clusters, streaming) is run by bench/scale_out.py."""

from django.core.cache.backends.db import DatabaseCache
from django.test import RequestFactory, SimpleTestCase

from fasthold.accounts.models import User
from fasthold.audit.models import AuditEntry
from fasthold.cases.models import Case
from fasthold.dbrouter import REPLICA, ReplicaRouter, reads_from_replica, replica_reads
from fasthold.evaluation import views
from fasthold.organisations.models import Membership

WITH_REPLICA = {"default": {"ENGINE": "django.db.backends.sqlite3"}, REPLICA: {"ENGINE": "django.db.backends.sqlite3"}}


class RouterTests(SimpleTestCase):
    router = ReplicaRouter(WITH_REPLICA)

    def cache_model(self):
        return DatabaseCache("fasthold_cache", {}).cache_model_class

    def test_reads_go_to_the_replica_only_inside_an_opted_in_view(self):
        self.assertIsNone(self.router.db_for_read(Case))
        with replica_reads():
            self.assertEqual(self.router.db_for_read(Case), REPLICA)
            self.assertEqual(self.router.db_for_read(AuditEntry), REPLICA)
            for model in (Membership, User, self.cache_model()):
                self.assertIsNone(self.router.db_for_read(model), model)
            self.assertEqual(self.router.db_for_write(Case), "default")
        self.assertIsNone(self.router.db_for_read(Case), "the context ends with the view")

    def test_without_a_replica_the_router_leaves_the_one_database(self):
        with replica_reads():
            self.assertIsNone(ReplicaRouter({"default": {}}).db_for_read(Case))
            self.assertIsNone(ReplicaRouter().db_for_read(Case), "the suite's settings have no replica")

    def test_the_replica_is_never_migrated_and_rows_may_relate_across(self):
        self.assertFalse(self.router.allow_migrate(REPLICA, "cases"))
        self.assertTrue(self.router.allow_migrate("default", "cases"))
        on_replica, on_primary = Case(), Case()
        on_replica._state.db, on_primary._state.db = REPLICA, "default"
        self.assertTrue(self.router.allow_relation(on_replica, on_primary))

    def test_a_view_reads_from_the_replica_for_get_and_never_for_a_post(self):
        seen = []

        @reads_from_replica
        def view(request):
            seen.append(self.router.db_for_read(Case))

        factory = RequestFactory()
        view(factory.get("/"))
        view(factory.post("/"))
        self.assertEqual(seen, [REPLICA, None])

    def test_the_evaluations_reading_pages_opt_in_and_its_writing_ones_do_not(self):
        for view in (views.overview, views.program, views.dataset_csv):
            self.assertTrue(getattr(view, "reads_from_replica", False), view.__name__)
        for view in (views.register_upload, views.register_confirm, views.case_outcome):
            self.assertFalse(getattr(view, "reads_from_replica", False), view.__name__)
