from b2b_oms._native import *  # noqa
from b2b_oms.errors import *  # noqa
