"""What every app's JSON API shares: the error shapes and the Chinese error answers.

The API itself (yikao.api) mounts the apps' routers and sits above them; this part sits
below them, so an app's router never imports the API that mounts it.
"""
