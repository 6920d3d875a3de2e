"""The job the query-log workers run: a handful of ORM queries on auth groups (create, look up,
rename, count, delete), as a small order-processing task would."""


def run_orders_job(number):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="order-%d" % number)
    Group.objects.filter(name__startswith="order-").exclude(pk=group.pk).exists()
    Group.objects.filter(pk=group.pk).update(name="order-%d-done" % number)
    Group.objects.get(pk=group.pk)
    Group.objects.filter(name__endswith="-done").count()
    group.delete()
