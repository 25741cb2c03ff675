// Area 9, graph-nets: GNN task levels, message passing, aggregation and over-smoothing, graph pooling.
import { formula as f, step as s, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const graphNetTopics: readonly NoteTopicSource[] = [
  {
    id: 'gnn-overview',
    area: 'graph-nets',
    title: 'GNNs: task levels, messages, receptive field, global nodes',
    summary:
      'GNNs generalize CNNs from grids to arbitrary graphs. Node-level tasks predict per node, graph-level tasks read out the whole graph, and edge tasks can be cast as node tasks on the line graph. Messages flow to neighbours, so after L layers a node sees its L-hop neighbourhood; a global node connected to everything puts any two nodes at most 2 hops apart.',
    confidence: 'medium',
    formulas: [
      f(t`\text{receptive field after } L \text{ layers} = \{\, j : \operatorname{dist}(i, j) \le L \,\}`, 'receptive field after L layers = {j : dist(i, j) ≤ L}'),
      f(t`\text{global node: any pair} \le 2 \text{ hops apart}`, 'with a global node: any pair ≤ 2 hops apart'),
      f(t`h_G = \operatorname{READOUT}\big(\{h_v\}_{v \in V}\big)`, 'h_G = READOUT({h_v : v ∈ V})'),
    ],
    derivation: [
      s(t`h_i^{(1)} = f\big(h_i^{(0)}, \{h_j^{(0)} : j \in \mathcal N(i)\}\big)`, 'One layer mixes each node with its direct neighbours: distance ≤ 1.'),
      s(t`h_i^{(L)} \text{ depends on } \{ h_j^{(0)} : \operatorname{dist}(i, j) \le L \}`, 'Induction: each further layer extends the dependency by one hop.'),
      s(t`g \sim v\ \forall v \Rightarrow \operatorname{dist}(i, j) \le 2 \text{ via } i \to g \to j`, 'A global node adjacent to every node shortcuts all paths to two hops.'),
    ],
    caveats: ['A CNN is message passing on a grid with position-specific weights per neighbour offset; a general GNN has no neighbour order, so it must share one set of weights across neighbours.'],
    related: ['gnn-message-passing', 'receptive-field'],
  },
  {
    id: 'gnn-message-passing',
    area: 'graph-nets',
    title: 'Message passing and weight sharing',
    summary:
      'Each node holds one multi-channel state. A layer computes a message from every neighbour, aggregates them with a permutation-invariant operator, and updates the state residually. Because neighbours have no canonical order or count, the weights are shared across neighbours and the aggregation must not depend on their order; the whole layer is then permutation-equivariant.',
    confidence: 'medium',
    formulas: [
      f(t`m_i = \operatorname*{AGG}_{j \in \mathcal N(i)} \psi(s_i, s_j, e_{ij}),\qquad s_i \leftarrow s_i + \phi(s_i, m_i)`, 'm_i = AGG_{j∈N(i)} ψ(s_i, s_j, e_ij),  s_i ← s_i + φ(s_i, m_i)'),
      f(t`\text{GCN: } H' = \sigma\big(\tilde D^{-1/2} \tilde A \tilde D^{-1/2} H W\big),\ \tilde A = A + I`, 'GCN: H′ = σ(D̃^(−1/2)·Ã·D̃^(−1/2)·H·W),  Ã = A + I'),
      f(t`f(PX, PAP^\top) = P\, f(X, A)`, 'equivariance: f(PX, PAPᵀ) = P·f(X, A)'),
    ],
    derivation: [
      s(t`\sum_{j \in \pi(\mathcal N)} m_j = \sum_{j \in \mathcal N} m_j`, 'Sum, mean and max depend only on the multiset of messages, not on their order.'),
      s(t`[m_{\pi(1)}; \dots; m_{\pi(k)}] \ne [m_1; \dots; m_k]`, 'Concatenation in index order changes under a permutation, so it is not a valid aggregator.'),
      s(t`(PAP^\top)(PX) W = P (AXW)`, 'A shared-weight layer therefore commutes with relabelling the nodes.'),
    ],
    snippets: [
      {
        title: 'Generic MPNN layer',
        code: 'class MPNNLayer(nn.Module):\n    def __init__(self, channels):\n        super().__init__()\n        self.message = nn.Linear(2 * channels, channels)\n        self.update = nn.Linear(2 * channels, channels)\n\n    def forward(self, s, edge_index):\n        src, dst = edge_index\n        msg = torch.relu(self.message(torch.cat([s[dst], s[src]], dim=-1)))\n        agg = torch.zeros_like(s).index_add_(0, dst, msg)  # sum: order-invariant\n        return s + self.update(torch.cat([s, agg], dim=-1))\n',
      },
    ],
    related: ['gnn-aggregation-oversmoothing', 'gnn-overview'],
  },
  {
    id: 'gnn-aggregation-oversmoothing',
    area: 'graph-nets',
    title: 'Aggregation operators and over-smoothing',
    summary:
      'Valid aggregators (sum, mean, max, min, product, variance, attention-weighted sums) are permutation-invariant, and they tend to blur rather than sharpen: repeated mean aggregation is a power of a row-stochastic matrix, which converges to a rank-one matrix, so every node ends with the same vector. Sum aggregation is the most expressive (GIN).',
    confidence: 'medium',
    formulas: [
      f(t`H^{(L)} = \big(D^{-1} A\big)^{L} H^{(0)} \xrightarrow{L \to \infty} \mathbf 1\, \pi^\top H^{(0)}`, 'H^(L) = (D⁻¹A)^L·H^(0) → 1·πᵀ·H^(0)  (connected, aperiodic graph)'),
      f(t`E(H) = \tfrac12 \sum_{(i,j) \in E} \lVert h_i - h_j \rVert^2 \downarrow`, 'Dirichlet energy E(H) = ½·Σ_{(i,j)∈E} ‖h_i − h_j‖² decreases'),
      f(t`\text{GAT: } m_i = \sum_{j \in \mathcal N(i)} \alpha_{ij} W s_j,\ \ \alpha_{ij} = \operatorname{softmax}_j\big(\operatorname{LeakyReLU}(a^\top [W s_i \Vert W s_j])\big)`, 'GAT: m_i = Σ_j α_ij·W·s_j,  α_ij = softmax_j(LeakyReLU(aᵀ[Ws_i ‖ Ws_j]))'),
    ],
    derivation: [
      s(t`P = D^{-1} A,\quad P\mathbf 1 = \mathbf 1`, 'Mean aggregation multiplies by a row-stochastic matrix.'),
      s(t`P^L \to \mathbf 1 \pi^\top,\quad \pi^\top P = \pi^\top`, 'Perron–Frobenius: on a connected aperiodic graph the powers converge to a rank-one matrix.'),
      s(t`\lVert P^L - \mathbf 1\pi^\top \rVert = O(|\lambda_2|^L)`, 'The convergence rate is set by the second-largest eigenvalue: features blur exponentially fast with depth.'),
    ],
    related: ['gnn-message-passing', 'gnn-pooling'],
  },
  {
    id: 'gnn-pooling',
    area: 'graph-nets',
    title: 'Graph pooling and topology changes',
    summary:
      'Graph pooling is task-specific. One option alters the topology, e.g. adding edges up to a fully connected graph (which with attention aggregation is a Transformer). Another clusters nodes: a random walk’s stationary distribution (or PageRank) finds the central nodes, and DiffPool learns soft cluster assignments.',
    confidence: 'medium',
    formulas: [
      f(t`P = D^{-1} A:\ \pi_i = \frac{\deg_i}{2|E|}\ (\text{undirected})`, 'random walk P = D⁻¹A: π_i = deg_i/(2|E|)  (undirected)'),
      f(t`\text{PageRank: } \pi = \tfrac{1 - \alpha}{n}\mathbf 1 + \alpha P^\top \pi`, 'PageRank: π = (1 − α)/n·1 + α·Pᵀπ'),
      f(t`\text{DiffPool: } S = \operatorname{softmax}\big(\operatorname{GNN}_{\text{pool}}(A, X)\big),\ X' = S^\top Z,\ A' = S^\top A S`, 'DiffPool: S = softmax(GNN_pool(A, X)),  X′ = SᵀZ,  A′ = SᵀAS'),
    ],
    derivation: [
      s(t`\pi^\top P = \pi^\top`, 'The stationary distribution is a left eigenvector of the transition matrix.'),
      s(t`\sum_i \frac{\deg_i}{2|E|} \cdot \frac{A_{ij}}{\deg_i} = \frac{\sum_i A_{ij}}{2|E|} = \frac{\deg_j}{2|E|}`, 'For an undirected graph π ∝ degree satisfies it, and the degrees sum to 2|E|.'),
    ],
    related: ['gnn-aggregation-oversmoothing', 'gnn-overview'],
  },
];
