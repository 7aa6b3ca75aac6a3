"""Upper bounds on what one request can make the register store or build."""

from django.core.validators import MaxLengthValidator

# Free text: a register entry or a motivation is no place for a novel. 10,000 characters is some
# four pages of a letter; a 1.8 MB reason once made a letter of 472 pages (19 s per request).
TEXT_LIMIT = 10_000

# On a model's text fields, so that text is bounded whichever way it reaches the model
# (a form, a service, an import): full_clean runs it.
BOUNDED_TEXT = MaxLengthValidator(TEXT_LIMIT)

# Rows of one kind in one form (purposes of an activity, exceptions of a rule).
ROW_LIMIT = 100
