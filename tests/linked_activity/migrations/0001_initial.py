# The stand-in activity app used by the clause-link tests (test settings only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('coordination', '0002_agreements_stages_risks'),
    ]

    operations = [
        migrations.CreateModel(
            name='JointTraining',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100)),
                ('held_on', models.DateField()),
                ('clause', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='coordination.clause', verbose_name='clause carried out')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='coordination.region')),
            ],
        ),
    ]
