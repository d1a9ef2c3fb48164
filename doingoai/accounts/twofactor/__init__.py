"""Two-factor sign-in for staff (xác thực hai bước), built on django-otp.

- ``policy``: who must use it (``settings.TWO_FACTOR_REQUIRED``, the roles' own flag) and what
  a signed-in session still owes: nothing, the code step, or the set-up screen.
- ``services``: set up an authenticator app (TOTP) and ten one-time recovery codes, check a
  code, renew the recovery codes, remove the second factor (the officer, with the password, or
  an administrator for a lost phone). Every event goes to the audit log (``accounts.audit``).
- ``middleware``: after the password step a session whose second factor is due reaches only the
  code or set-up screen in the back office, and is anonymous everywhere else.
- ``views``: those screens, the officer's own page and the administrator's reset.
"""
