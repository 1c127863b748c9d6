# Plain PyTorch's MLP on CIFAR-10 with the seed's settings, one seed:
#   ROSETTA_DATA_DIR=DIR python3 bench/yardstick_mlp_cifar.py glorot|default EPSILON SEED
# where DIR holds cifar-10-batches-bin/ (the binary version of CIFAR-10).
import os, sys, numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'pytorch'))
import image_twins  # the MLP twin: dense, dense_1
torch.set_num_threads(1)
if 'ROSETTA_DATA_DIR' not in os.environ:
    sys.exit('Set ROSETTA_DATA_DIR to the folder that holds cifar-10-batches-bin/.')
d=os.path.join(os.environ['ROSETTA_DATA_DIR'], 'cifar-10-batches-bin') + os.sep
def load(files):
    raw=np.concatenate([np.fromfile(d+f,dtype=np.uint8).reshape(-1,3073) for f in files])
    return torch.tensor(raw[:,1:].astype(np.float32)/255.), torch.tensor(raw[:,0].astype(np.int64))
xtr,ytr=load([f'data_batch_{i}.bin' for i in range(1,6)]); xte,yte=load(['test_batch.bin'])
init, eps, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(seed)
m=image_twins.Mlp(3, 32, 32, 10, init='keras' if init=='glorot' else 'pytorch')  # keras: Glorot-uniform, zero biases
opt=torch.optim.Adam(m.parameters(),lr=1e-3,eps=eps)
g=torch.Generator().manual_seed(seed)
for ep in range(10):
    perm=torch.randperm(len(xtr),generator=g)
    for i in range(0,len(xtr),64):
        idx=perm[i:i+64]; opt.zero_grad(); F.cross_entropy(m(xtr[idx]),ytr[idx]).backward(); opt.step()
with torch.no_grad(): acc=(m(xte).argmax(1)==yte).float().mean().item()
print(init,eps,seed,round(100*acc,2))
