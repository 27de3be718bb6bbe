"""The data migration: problems registered before 责任人 became a name get the name of the account they link to."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("problems", "0004_workbench_indexes")]
AFTER = [("problems", "0005_responsible_person_names")]


@pytest.mark.django_db(transaction=True)
def test_existing_problems_get_the_names_of_their_linked_accounts():
    from qicha.core.registry import PROBLEMS, load_demo_data

    from .conftest import DEMO_PASSWORD

    load_demo_data(DEMO_PASSWORD, through=PROBLEMS)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Problem, User = old.get_model("problems", "Problem"), old.get_model("orgs", "User")
    template = Problem.objects.order_by("pk").first()
    handler, office = User.objects.get(username="handler"), User.objects.get(username="office")
    office.full_name = ""
    office.save()

    def old_problem(description, person):
        return Problem.objects.create(
            campaign_id=template.campaign_id, unit_id=template.unit_id, source="self_inspection",
            description=description, rectification_type="immediate", measures="x", deadline=template.deadline,
            responsible_person=person, created_by_id=template.created_by_id)

    linked, by_username, nobody = old_problem("甲", handler), old_problem("乙", office), old_problem("丙", None)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = MigrationExecutor(connection).loader.project_state(AFTER).apps.get_model("problems", "Problem")
    names = dict(new.objects.filter(pk__in=[linked.pk, by_username.pk, nobody.pk]).values_list("description",
                                                                                                "responsible_person_name"))
    assert names == {"甲": "钱承办", "乙": "office", "丙": ""}
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
