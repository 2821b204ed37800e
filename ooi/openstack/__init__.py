"""The OpenStack side: one module per service with the calls ooi needs, and the transports."""
