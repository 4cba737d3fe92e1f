"""What the applications workflow announces to the apps above it, without importing them.

`application_approved` is sent inside the approving transaction (sender=Application, application=,
actor=). A receiver's DomainError refuses the approval: carriers enters a recognition clause's
carrier in its register this way, and if the register refuses the entry, nothing is approved.
"""
from django.dispatch import Signal

application_approved = Signal()
