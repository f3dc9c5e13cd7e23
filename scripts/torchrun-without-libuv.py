#!/usr/bin/env python3
# torchrun with c10d TCPStores made without libuv: Debian 13's python3-torch 2.6 is built without
# libuv but torchrun asks for it (static rendezvous and --standalone alike), so it cannot start.
# Use: python3 scripts/torchrun-without-libuv.py --nnodes 1 --nproc-per-node 2 --master-addr 127.0.0.1 \
#        --master-port 29500 --no-python masksup train ...   (the arguments of torchrun)
import sys
import torch.distributed as dist
_tcp = dist.TCPStore
def tcp_store(*args, **kwargs):
    kwargs["use_libuv"] = False
    return _tcp(*args, **kwargs)
dist.TCPStore = tcp_store
import torch.distributed.elastic.rendezvous.static_tcp_rendezvous as static
static.TCPStore = tcp_store
from torch.distributed.run import main
sys.exit(main())
