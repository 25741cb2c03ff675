from .op_test import *  # noqa: F403
from .squeezenet import *  # noqa: F403
from .srresnet import *  # noqa: F403
from .super_resolution import *  # noqa: F403
