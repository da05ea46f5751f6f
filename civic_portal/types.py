from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# The user on a request: signed in or anonymous.
AnyUser = AbstractBaseUser | AnonymousUser
