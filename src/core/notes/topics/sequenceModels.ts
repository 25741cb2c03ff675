// Area 1, sequence-models: RNNs as filters, their nonlinearities, normalization, init, BPTT, Kalman and seq2seq.
import { formula as f, step as s, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const sequenceModelTopics: readonly NoteTopicSource[] = [
  {
    id: 'rnn-as-iir-filter',
    area: 'sequence-models',
    title: 'RNNs as IIR filters, convolutions as FIR filters',
    summary:
      'Seen as a signal-processing system, a convolution is an FIR filter: fixed taps over a finite window, always stable. A linear RNN is an IIR filter: unrolled, its impulse response CWᵏU never ends, its transfer function has poles at the eigenvalues of W, and it is stable iff the spectral radius ρ(W) < 1. Diagonalizing W decouples the state into modes that decay like |λ|ᵏ.',
    confidence: 'high',
    formulas: [
      f(t`h_t = W h_{t-1} + U x_t,\qquad y_t = C h_t`, 'h_t = W·h_{t−1} + U·x_t,  y_t = C·h_t'),
      f(t`y_t = \sum_{k \ge 0} g_k\, x_{t-k},\quad g_k = C W^{k} U`, 'y_t = Σ_{k≥0} g_k·x_{t−k},  g_k = C·W^k·U  (impulse response)'),
      f(t`\text{FIR: } G(z) = \sum_{k=0}^{K-1} g_k z^{-k};\qquad \text{IIR: } H(z) = C\,(I - W z^{-1})^{-1} U`, 'FIR: G(z) = Σ_{k<K} g_k·z^(−k);  IIR: H(z) = C(I − W·z⁻¹)⁻¹U'),
      f(t`\text{stable} \iff \rho(W) = \max_i |\lambda_i| < 1,\qquad \tau_i = -\frac{1}{\ln|\lambda_i|}`, 'BIBO-stable ⇔ ρ(W) = max|λ_i| < 1;  time constant τ_i = −1/ln|λ_i|'),
    ],
    derivation: [
      s(t`h_t = W h_{t-1} + U x_t`, 'Start from the linear recurrence.'),
      s(t`h_t = W^{t} h_0 + \sum_{k=0}^{t-1} W^{k} U x_{t-k}`, 'Unroll by induction.'),
      s(t`y_t = \sum_{k \ge 0} g_k x_{t-k},\quad g_k = C W^k U`, 'The output is a convolution with an infinitely long kernel, hence IIR.'),
      s(t`\mathcal Z\{h\} = W z^{-1} \mathcal Z\{h\} + U\, \mathcal Z\{x\}`, 'Take the z-transform; a delay is a factor z⁻¹.'),
      s(t`H(z) = C\,(I - W z^{-1})^{-1} U`, 'Solve for the transfer function; it has poles where det(zI − W) = 0, i.e. at eig(W).'),
      s(t`W = V\Lambda V^{-1},\ \tilde h = V^{-1} h \Rightarrow \tilde h_{t,i} = \lambda_i \tilde h_{t-1,i} + (V^{-1} U x_t)_i`, 'Diagonalize to get decoupled complex scalar modes.'),
      s(t`|\tilde h_{t,i}| \propto |\lambda_i|^t,\ \text{frequency } \arg\lambda_i`, 'Stability and memory length are read off |λ_i|.'),
      s(t`G(z) \text{ is a polynomial in } z^{-1}:\ \text{all poles at } 0`, 'An FIR filter is always stable and its receptive field is K.'),
    ],
    simulations: ['rnn-dynamics'],
    related: ['rnn-bptt-exploding-vanishing', 'momentum', 'kalman-filter-as-rnn', 'receptive-field'],
  },
  {
    id: 'rnn-nonlinearity-saturation',
    area: 'sequence-models',
    title: 'Saturating vs non-saturating activations in RNNs',
    summary:
      'The step Jacobian of an RNN is diag(φ′(a))·W. Saturating activations (tanh, sigmoid) bound the state, but not the gradient: the product of Jacobians still explodes when ρ(W) is large enough that φ′·ρ(W) stays above 1 (see the RNN dynamics simulation), and where units saturate their derivative vanishes, so gradients vanish. ReLU’s derivative is 0 or 1, so growth is set by W alone and explodes when ρ(W) > 1. Repeated nonlinearities also destroy information, which motivates skips.',
    confidence: 'medium',
    formulas: [
      f(t`h_t = \phi(a_t),\ a_t = W h_{t-1} + U x_t,\qquad \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}\big(\phi'(a_t)\big) W`, 'h_t = φ(a_t), a_t = W·h_{t−1} + U·x_t,  ∂h_t/∂h_{t−1} = diag(φ′(a_t))·W'),
      f(t`\tanh'(x) = 1 - \tanh^2 x \in (0, 1],\quad \sigma'(x) = \sigma(x)\big(1 - \sigma(x)\big) \le \tfrac14,\quad \mathrm{ReLU}'(x) = \mathbf 1\{x > 0\}`, 'tanh′ = 1 − tanh² ∈ (0, 1],  σ′ = σ(1 − σ) ≤ ¼,  ReLU′ = 1{x > 0}'),
      f(t`\Big\lVert \frac{\partial h_t}{\partial h_{t-k}} \Big\rVert_2 \le \big(\max|\phi'| \cdot \lVert W \rVert_2\big)^{k}`, '‖∂h_t/∂h_{t−k}‖₂ ≤ (max|φ′|·‖W‖₂)^k'),
    ],
    derivation: [
      s(t`\frac{\partial h_t}{\partial h_{t-k}} = \prod_{s=t-k+1}^{t} \operatorname{diag}\big(\phi'(a_s)\big) W`, 'Chain rule over k steps gives a product of Jacobians.'),
      s(t`\Big\lVert \prod_s D_s W \Big\rVert \le \prod_s \lVert D_s \rVert \lVert W \rVert \le \big(\max|\phi'|\, \lVert W \rVert\big)^k`, 'Bound the product with submultiplicative norms.'),
      s(t`|a| \to \infty \Rightarrow \tanh'(a), \sigma'(a) \to 0`, 'Saturating activations make the factors vanish: gradients vanish.'),
      s(t`\phi' \in \{0, 1\} \Rightarrow \text{growth set by } W \text{ alone}`, 'With ReLU the active part is linear, so the state and gradients explode if ρ(W) > 1.'),
    ],
    simulations: ['rnn-dynamics'],
    related: ['rnn-bptt-exploding-vanishing', 'rnn-initialization', 'sigmoid-derivative'],
  },
  {
    id: 'rnn-state-normalization-skips',
    area: 'sequence-models',
    title: 'Normalizing the recurrent state; skip connections in RNNs',
    summary:
      'Normalize the recurrent pre-activation with layer norm, not the input x_t (that leaves the exploding W·h loop untouched) and not batch norm (it needs per-time-step statistics and breaks with variable lengths). Skip connections through time — and the additive cell path of an LSTM — add an identity to the step Jacobian, so gradients do not shrink with time.',
    confidence: 'medium',
    formulas: [
      f(t`h_t = \phi\Big(\gamma \odot \frac{a_t - \mu_t \mathbf 1}{\sqrt{\sigma_t^2 + \epsilon}} + \beta\Big),\quad a_t = W h_{t-1} + U x_t`, 'h_t = φ(γ ⊙ (a_t − μ_t)/√(σ_t² + ε) + β),  a_t = W·h_{t−1} + U·x_t'),
      f(t`h_t = h_{t-1} + f(h_{t-1}, x_t) \Rightarrow \frac{\partial h_t}{\partial h_{t-1}} = I + \frac{\partial f}{\partial h_{t-1}}`, 'h_t = h_{t−1} + f(h_{t−1}, x_t) ⇒ ∂h_t/∂h_{t−1} = I + ∂f/∂h_{t−1}'),
      f(t`c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t \Rightarrow \frac{\partial c_t}{\partial c_{t-1}}\Big|_{\text{direct}} = \operatorname{diag}(f_t)`, 'LSTM: c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t ⇒ ∂c_t/∂c_{t−1} (direct) = diag(f_t)'),
    ],
    derivation: [
      s(t`\Big\lVert \frac{a_t - \mu_t}{\sigma_t} \Big\rVert = \sqrt n`, 'Layer norm bounds the state at every step: before the affine map its norm is √n (layer-norm-jacobian).'),
      s(t`\prod_t \Big(I + \frac{\partial f}{\partial h_{t-1}}\Big) = I + \dots`, 'An identity term in each Jacobian gives a gradient path that does not shrink with time.'),
    ],
    snippets: [
      {
        title: 'Layer-normalized RNN cell',
        code: 'class LNRNNCell(nn.Module):\n    def __init__(self, n_in, n_hidden):\n        super().__init__()\n        self.ih = nn.Linear(n_in, n_hidden)\n        self.hh = nn.Linear(n_hidden, n_hidden, bias=False)\n        self.norm = nn.LayerNorm(n_hidden)\n\n    def forward(self, x, h):\n        return torch.tanh(self.norm(self.ih(x) + self.hh(h)))\n',
      },
    ],
    simulations: ['rnn-dynamics'],
    related: ['layer-norm', 'residual-connections', 'rnn-bptt-exploding-vanishing'],
  },
  {
    id: 'rnn-initialization',
    area: 'sequence-models',
    title: 'Recurrent-weight and initial-state initialization',
    summary:
      'Initialize the recurrent matrix so the dynamics are stable: spectral radius near (or just below) 1. A ReLU RNN starts from the identity with zero bias (IRNN); orthogonal init makes every singular value 1; a Gaussian with variance g²/n has ρ ≈ g. The initial state can be zeros (the PyTorch default), learned, or random. An LSTM forget-gate bias of 1 is a standard extra.',
    confidence: 'medium',
    formulas: [
      f(t`W_{ij} \sim \mathcal N\big(0, g^2/n\big) \Rightarrow \rho(W) \approx g`, 'W_ij ~ N(0, g²/n) ⇒ ρ(W) ≈ g  (circular law, large n)'),
      f(t`\text{orthogonal } W:\ \sigma_i(W) = 1\ \forall i`, 'orthogonal W: σ_i(W) = 1 for all i'),
      f(t`\text{memory} \approx -\frac{1}{\ln \rho(W)}`, 'memory ≈ −1/ln ρ(W) steps'),
    ],
    derivation: [
      s(t`\lVert W^k h \rVert \approx \rho(W)^k \lVert h \rVert`, 'The k-step gain is about ρ(W)ᵏ (rnn-as-iir-filter).'),
      s(t`\operatorname{eig}\big(\mathcal N(0, g^2/n)^{n\times n}\big) \to \text{uniform on the disc of radius } g`, 'Circular law: a scaled Gaussian matrix has ρ ≈ g.'),
      s(t`g \approx 1 \Rightarrow \rho^k \approx 1`, 'Signals and gradients stay of order 1 for many steps.'),
    ],
    simulations: ['rnn-dynamics'],
    snippets: [
      {
        title: 'Orthogonal recurrent init',
        code: 'for name, param in rnn.named_parameters():\n    if "weight_hh" in name:\n        nn.init.orthogonal_(param)\n    elif "bias" in name:\n        nn.init.zeros_(param)\n',
      },
    ],
    related: ['rnn-as-iir-filter', 'rnn-nonlinearity-saturation', 'weight-init-xavier-he'],
  },
  {
    id: 'rnn-bptt-exploding-vanishing',
    area: 'sequence-models',
    title: 'Backprop through time: exploding and vanishing gradients',
    summary:
      'For the scalar RNN h_t = w(u_t + h_{t−1}), h₃ = wu₃ + w²u₂ + w³u₁ and ∂h₃/∂w = u₃ + 2wu₂ + 3w²u₁: powers of w multiply the contribution of distant inputs. With |w| > 1 the gradient grows like T|w|ᵀ (explodes); with |w| < 1 distant inputs contribute almost nothing (vanish). Remedies: gradient clipping, truncated BPTT, gates or skips, careful init.',
    confidence: 'high',
    formulas: [
      f(t`h_T = \sum_{k=1}^{T} w^{T-k+1} u_k,\qquad \frac{\partial h_T}{\partial w} = \sum_{k=1}^{T} (T - k + 1)\, w^{T-k} u_k`, 'h_T = Σ_k w^(T−k+1)·u_k,  ∂h_T/∂w = Σ_k (T − k + 1)·w^(T−k)·u_k'),
      f(t`\frac{\partial h_T}{\partial h_k} = \prod_{t=k+1}^{T} \operatorname{diag}\big(\phi'(a_t)\big) W`, '∂h_T/∂h_k = Π_{t=k+1..T} diag(φ′(a_t))·W'),
      f(t`g \leftarrow g \cdot \min\Big(1, \frac{c}{\lVert g \rVert}\Big)`, 'clipping: g ← g·min(1, c/‖g‖)'),
    ],
    derivation: [
      s(t`h_1 = w u_1,\quad h_2 = w(u_2 + w u_1) = w u_2 + w^2 u_1`, 'Unroll from h₀ = 0.'),
      s(t`h_3 = w u_3 + w^2 u_2 + w^3 u_1`, 'One more step.'),
      s(t`\frac{\partial h_3}{\partial w} = u_3 + 2 w u_2 + 3 w^2 u_1`, 'Differentiate term by term: wᵏ contributes k·wᵏ⁻¹.'),
      s(t`\frac{\partial h_T}{\partial w} = \sum_{k=1}^{T} (T - k + 1)\, w^{T-k} u_k`, 'Generalize to T steps.'),
      s(t`|w| > 1:\ \text{terms} \sim T|w|^{T};\qquad |w| < 1:\ (T - k + 1)|w|^{T-k} \to 0`, 'Large |w| explodes; small |w| makes distant inputs vanish, so long-range credit assignment fails.'),
      s(t`g \leftarrow g \min\big(1, c / \lVert g \rVert\big)`, 'Clipping rescales an exploding gradient to norm c without changing its direction (Pascanu et al. 2013).'),
    ],
    simulations: ['rnn-dynamics'],
    snippets: [
      {
        title: 'Gradient clipping',
        code: 'loss.backward()\ntorch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\noptimizer.step()\n',
      },
    ],
    related: ['rnn-nonlinearity-saturation', 'rnn-state-normalization-skips', 'rnn-initialization'],
  },
  {
    id: 'kalman-filter-as-rnn',
    area: 'sequence-models',
    title: 'Kalman filtering: an optimal linear RNN',
    summary:
      'For a linear system with Gaussian process and measurement noise, the Kalman filter predicts the state through the dynamics, then corrects it with the gain-weighted measurement residual. The conditional mean is the minimum-mean-squared-error estimate. With a constant (steady-state) gain the filter is a linear time-invariant recurrent network — an IIR filter.',
    confidence: 'medium',
    formulas: [
      f(t`x_{t+1} = A x_t + B u_t + w_t,\ \ y_t = C x_t + v_t,\ \ w_t \sim \mathcal N(0, Q),\ v_t \sim \mathcal N(0, R)`, 'x_{t+1} = A·x_t + B·u_t + w_t,  y_t = C·x_t + v_t,  w ~ N(0, Q), v ~ N(0, R)'),
      f(t`\hat x_{t|t-1} = A\hat x_{t-1|t-1} + B u_{t-1},\quad P_{t|t-1} = A P_{t-1|t-1} A^\top + Q`, 'predict: x̂_{t|t−1} = A·x̂_{t−1|t−1} + B·u_{t−1},  P_{t|t−1} = A·P·Aᵀ + Q'),
      f(t`K_t = P_{t|t-1} C^\top \big(C P_{t|t-1} C^\top + R\big)^{-1},\quad \hat x_{t|t} = \hat x_{t|t-1} + K_t\big(y_t - C\hat x_{t|t-1}\big)`, 'update: K_t = P·Cᵀ(C·P·Cᵀ + R)⁻¹,  x̂_{t|t} = x̂_{t|t−1} + K_t(y_t − C·x̂_{t|t−1})'),
      f(t`P_{t|t} = (I - K_t C) P_{t|t-1}`, 'P_{t|t} = (I − K_t·C)·P_{t|t−1}'),
      f(t`\hat x_{t|t} = (I - KC) A\, \hat x_{t-1|t-1} + (I - KC) B u_{t-1} + K y_t`, 'steady state: x̂_t = (I − KC)A·x̂_{t−1} + (I − KC)B·u_{t−1} + K·y_t  (a linear RNN)'),
    ],
    derivation: [
      s(t`x_{t-1} \mid y_{1:t-1} \sim \mathcal N(\hat x_{t-1|t-1}, P_{t-1|t-1})`, 'Everything is jointly Gaussian, so the posterior is Gaussian.'),
      s(t`x_t \mid y_{1:t-1} \sim \mathcal N\big(A\hat x_{t-1|t-1} + B u_{t-1},\ A P_{t-1|t-1} A^\top + Q\big)`, 'Predict: push the Gaussian through the linear dynamics and add the process noise.'),
      s(t`\begin{bmatrix} x_t \\ y_t \end{bmatrix} \sim \mathcal N\left(\begin{bmatrix} \hat x \\ C\hat x \end{bmatrix}, \begin{bmatrix} P & P C^\top \\ C P & C P C^\top + R \end{bmatrix}\right)`, 'Form the joint Gaussian of the state and the measurement.'),
      s(t`\mathbb E[x \mid y] = \mu_x + \Sigma_{xy} \Sigma_{yy}^{-1}(y - \mu_y) \Rightarrow K_t = P C^\top (C P C^\top + R)^{-1}`, 'Gaussian conditioning gives the gain.'),
      s(t`\hat x_{t|t} = \operatorname*{arg\,min}_{\hat x}\ \mathbb E\lVert \hat x - x_t \rVert^2`, 'The conditional mean is the MMSE estimator: optimal among all estimators under Gaussianity, the best linear one otherwise.'),
      s(t`P_{t|t-1} \to P_\infty \Rightarrow K_t \to K`, 'The Riccati recursion converges, so the filter becomes an LTI recurrent network.'),
    ],
    related: ['rnn-as-iir-filter', 'bayes-rule'],
  },
  {
    id: 'seq2seq-rnn-limitations',
    area: 'sequence-models',
    title: 'Why RNN encoder–decoders need attention',
    summary:
      'RNN sequence-to-sequence models process tokens one after another (slow), and squeeze the whole source into a fixed-size context vector, so long sentences and reorderings between source and target (which they can learn) are carried poorly. Attention builds a fresh context for every output step as a weighted sum of all encoder states, removing the bottleneck and learning the alignment.',
    confidence: 'high',
    formulas: [
      f(t`\text{fixed: } c = h^{\text{enc}}_M \in \mathbb R^{n}\ (\text{independent of } M)`, 'fixed context: c = h^enc_M ∈ ℝ^n (size independent of M)'),
      f(t`c_i = \sum_{j=1}^{M} \alpha_{ij} h^{\text{enc}}_j,\quad \alpha_{ij} = \operatorname{softmax}_j\big(\operatorname{score}(s_{i-1}, h^{\text{enc}}_j)\big)`, 'attention: c_i = Σ_j α_ij·h^enc_j,  α_ij = softmax_j(score(s_{i−1}, h^enc_j))'),
      f(t`\text{self-attn } O(n^2 d),\ O(1) \text{ seq.};\quad \text{recurrent } O(n d^2),\ O(n) \text{ seq.};\quad \text{conv } O(k n d^2),\ O(1) \text{ seq.}`, 'per layer: self-attention O(n²d), O(1) sequential, path O(1); recurrent O(nd²), O(n), O(n); conv O(knd²), O(1), O(log_k n)'),
    ],
    derivation: [],
    related: ['attention-soft-lookup', 'attention-complexity'],
  },
];
