// Area 5, normalization-init: why normalize, the normalization layers and how to initialize weights.
import { formula as f, step as s, intParam, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const normalizationInitTopics: readonly NoteTopicSource[] = [
  {
    id: 'normalization-motivation',
    area: 'normalization-init',
    title: 'Why normalize',
    summary:
      'Weights should move because a feature matters, not because it is big. Unscaled or correlated inputs give large singular values and a large condition number κ, and gradient descent then needs ~κ iterations. Standardizing to N(0, 1) and re-scaling with learnable γ, β loses no expressivity. Adam rescales gradients, normalization layers rescale activations: the two are complementary.',
    confidence: 'medium',
    formulas: [
      f(t`\hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}},\quad y = \gamma \odot \hat x + \beta\ \ (\gamma = \sigma,\ \beta = \mu \text{ recovers } x)`, 'x̂ = (x − μ)/√(σ² + ε),  y = γ ⊙ x̂ + β  (γ = σ, β = μ recovers x)'),
      f(t`\rho^* = \frac{\kappa - 1}{\kappa + 1},\quad \kappa = \frac{\sigma_{\max}^2}{\sigma_{\min}^2}`, 'GD rate ρ* = (κ − 1)/(κ + 1),  κ = σ²_max/σ²_min'),
    ],
    derivation: [
      s(t`A = [s\,a_1,\ a_2] \Rightarrow (A^\top A)_{11} = s^2 \lVert a_1 \rVert^2,\ (A^\top A)_{12} = s\, a_1^\top a_2`, 'Scaling one feature by s scales its row and column of AᵀA.'),
      s(t`a_1 \perp a_2,\ \lVert a_1 \rVert = \lVert a_2 \rVert \Rightarrow A^\top A = \lVert a_1 \rVert^2 \operatorname{diag}(s^2, 1),\ \ \kappa = s^2`, 'Even for orthogonal features the eigenvalues separate by s², so the problem becomes ill-conditioned.'),
      s(t`t \approx \frac{\kappa + 1}{2} \ln\frac{1}{\varepsilon}`, 'GD needs iterations proportional to κ (gd-least-squares-convergence).'),
      s(t`x_j' = \frac{x_j - \mu_j}{\sigma_j} \Rightarrow \kappa \to \frac{1 + |\rho|}{1 - |\rho|}`, 'After standardization only the correlation ρ between the two features sets κ.'),
    ],
    caveats: ['Adam normalizes each parameter’s step by a running RMS of its gradients; normalization layers standardize activations. They are complementary.'],
    simulations: ['gd-momentum-adam'],
    related: ['input-standardization', 'batch-norm', 'gd-least-squares-convergence'],
  },
  {
    id: 'input-standardization',
    area: 'normalization-init',
    title: 'Input standardization',
    summary:
      'Ideally inputs follow N(0, 1): subtract the training-split mean and divide by its std per feature or channel. The notes’ analogy: input standardization is to batch/layer norm what data augmentation is to dropout — the same idea applied to hidden layers.',
    confidence: 'high',
    formulas: [
      f(t`x'_j = \frac{x_j - \mu_j^{\text{train}}}{\sigma_j^{\text{train}}}`, 'x′_j = (x_j − μ_j^train)/σ_j^train  (statistics from the training split only)'),
      f(t`\text{whitening: } x' = \Sigma^{-1/2}(x - \mu)`, 'whitening: x′ = Σ^(−1/2)(x − μ)'),
    ],
    derivation: [
      s(t`\mathbb E[x'_j] = \frac{\mathbb E[x_j] - \mu_j}{\sigma_j} = 0,\qquad \operatorname{Var}(x'_j) = \frac{\operatorname{Var}(x_j)}{\sigma_j^2} = 1`, 'Shifting by the mean and dividing by the std gives every feature zero mean and unit variance (on the training split).'),
      s(t`A' = (A - \mathbf 1\mu^\top)\operatorname{diag}(\sigma)^{-1} \Rightarrow \tfrac1n A'^\top A' = \text{correlation matrix}`, 'After standardization AᵀA/n is the correlation matrix, so scale no longer inflates κ (normalization-motivation).'),
    ],
    snippets: [
      {
        title: 'Normalize transform',
        code: 'transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])\n',
      },
    ],
    related: ['normalization-motivation', 'data-augmentation'],
  },
  {
    id: 'batch-norm',
    area: 'normalization-init',
    title: 'Batch normalization',
    summary:
      'BatchNorm standardizes each channel with the mean and variance over the batch and all pixels of that channel, then applies a learnable per-channel scale and shift. At eval it uses running averages of the statistics. Because every output depends on the whole batch, the backward pass couples all samples. It is the usual choice in convnets with reasonable batches; transformers and RNNs use LayerNorm, whose statistics do not depend on the batch. MLPs use either: which works better depends on the batch size and the task.',
    confidence: 'high',
    formulas: [
      f(t`\mu_c = \frac{1}{m}\sum_{n,h,w} x_{nchw},\quad \sigma_c^2 = \frac{1}{m}\sum (x_{nchw} - \mu_c)^2,\quad m = NHW`, 'μ_c = (1/m)·Σ x_nchw,  σ_c² = (1/m)·Σ (x_nchw − μ_c)²,  m = N·H·W'),
      f(t`y = \gamma_c \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c`, 'y = γ_c·(x − μ_c)/√(σ_c² + ε) + β_c'),
      f(t`\bar\mu \leftarrow (1 - m_{\text{mom}})\bar\mu + m_{\text{mom}} \mu_B,\ \ m_{\text{mom}} = 0.1`, 'running: μ̄ ← (1 − momentum)·μ̄ + momentum·μ_B, momentum = 0.1 (running var uses the unbiased σ²·m/(m − 1))', 'PyTorch'),
      f(t`\frac{\partial L}{\partial x_i} = \frac{1}{m\sqrt{\sigma^2 + \epsilon}}\Big(m\, g_i - \sum_j g_j - \hat x_i \sum_j g_j \hat x_j\Big)`, '∂L/∂x_i = (m·g_i − Σ_j g_j − x̂_i·Σ_j g_j·x̂_j)/(m·√(σ² + ε)),  g = γ·∂L/∂y'),
    ],
    derivation: [
      s(t`\hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}},\ \ \mu = \mu(x_1, \dots, x_m),\ \sigma^2 = \sigma^2(x_1, \dots, x_m)`, 'Every normalized value depends on every input of the channel through μ and σ.'),
      s(t`\frac{\partial \mu}{\partial x_i} = \frac{1}{m},\qquad \frac{\partial \sigma^2}{\partial x_i} = \frac{2(x_i - \mu)}{m}`, 'Derivatives of the batch statistics (the μ-term of σ² cancels because Σ(x_j − μ) = 0).'),
      s(t`\frac{\partial \hat x_j}{\partial x_i} = \frac{1}{\sqrt{\sigma^2 + \epsilon}}\Big(\delta_{ij} - \frac1m - \frac{\hat x_i \hat x_j}{m}\Big)`, 'Chain rule through the direct path, the mean and the variance.'),
      s(t`\frac{\partial L}{\partial x_i} = \sum_j g_j \frac{\partial \hat x_j}{\partial x_i} = \frac{1}{m\sqrt{\sigma^2 + \epsilon}}\Big(m g_i - \sum_j g_j - \hat x_i \sum_j g_j \hat x_j\Big)`, 'Collect the terms.'),
      s(t`\sum_i \frac{\partial L}{\partial x_i} = 0,\qquad \sum_i \hat x_i \frac{\partial L}{\partial x_i} = 0`, 'Check: the gradient is orthogonal to shifts and to rescaling, since Σx̂ = 0 and Σx̂² = m (with ε → 0).'),
    ],
    caveats: [
      'BN is also used in MLPs; there each feature’s statistics come from only N values, so they are noisier.',
      '“Internal covariate shift” is the original motivation; later evidence credits a smoother loss landscape (Santurkar et al. 2018).',
    ],
    related: ['layer-norm', 'group-norm', 'instance-norm', 'layer-norm-jacobian'],
  },
  {
    id: 'layer-norm',
    area: 'normalization-init',
    title: 'Layer normalization',
    summary:
      'LayerNorm standardizes each sample over its trailing normalized_shape dimensions, so it does not depend on the batch and behaves the same at training and test time. It is the norm of transformers and of RNN states. On NCHW maps, LN over (C, H, W) has the statistics of GroupNorm(1, C).',
    confidence: 'high',
    formulas: [
      f(t`\mu = \frac1D \sum_{i=1}^{D} x_i,\quad \sigma^2 = \frac1D \sum_i (x_i - \mu)^2,\quad y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta`, 'μ = (1/D)·Σ x_i,  σ² = (1/D)·Σ (x_i − μ)²,  y = γ ⊙ (x − μ)/√(σ² + ε) + β'),
    ],
    derivation: [
      s(t`x \mapsto a x + b\mathbf 1\ (a > 0) \Rightarrow \frac{x - \mu}{\sigma} \text{ unchanged}`, 'Per-sample shift and scale cancel in the standardization.'),
      s(t`\lVert \hat x \rVert^2 = \sum_i \frac{(x_i - \mu)^2}{\sigma^2} = D`, 'Before the affine transform every output vector has norm √D (ε → 0).'),
      s(t`\texttt{LayerNorm}([C, H, W]) \text{ on } (N, C, H, W):\ \mu_n = \frac{1}{CHW}\sum_{c,h,w} x_{nchw}`, 'Over (C, H, W) the statistics are those of GroupNorm(1, C); only the affine parameters differ (per element vs per channel).'),
    ],
    caveats: ['GroupNorm’s affine is per channel; LayerNorm’s is per element.'],
    related: ['layer-norm-jacobian', 'batch-norm', 'rnn-state-normalization-skips'],
  },
  {
    id: 'layer-norm-jacobian',
    area: 'normalization-init',
    title: 'The layer-norm gradient (Jacobian)',
    summary:
      'Layer norm is a centering projection followed by a rescaling to norm √d. Its Jacobian removes the mean and the radial component of the upstream gradient — the directions the output is invariant to — and divides by σ. It is symmetric and annihilates both 1 and z.',
    confidence: 'high',
    formulas: [
      f(t`z = \big(I - \tfrac1d \mathbf 1\mathbf 1^\top\big) x,\quad s = \frac{\sqrt d\, z}{\lVert z \rVert},\quad \sigma = \frac{\lVert z \rVert}{\sqrt d}`, 'z = (I − 11ᵀ/d)x,  s = √d·z/‖z‖,  σ = ‖z‖/√d'),
      f(t`J = \frac{\partial s}{\partial x} = \frac{1}{\sigma}\Big(I - \frac1d \mathbf 1\mathbf 1^\top - \frac1d\, s s^\top\Big),\quad J\mathbf 1 = 0,\ Jz = 0,\ J = J^\top`, 'J = ∂s/∂x = (I − 11ᵀ/d − ssᵀ/d)/σ,  J1 = 0, Jz = 0, J = Jᵀ'),
      f(t`\frac{\partial L}{\partial x} = \frac{1}{\sigma}\Big(g - \bar g\,\mathbf 1 - \frac{s^\top g}{d}\, s\Big),\ \ g = \frac{\partial L}{\partial s}`, '∂L/∂x = (g − ḡ·1 − (sᵀg/d)·s)/σ,  g = ∂L/∂s'),
    ],
    derivation: [
      s(t`z = Px,\quad P = I - \tfrac1d \mathbf 1\mathbf 1^\top,\quad \frac{\partial z}{\partial x} = P`, 'Centering is a linear projection.'),
      s(t`\frac{\partial}{\partial z}\frac{z}{\lVert z \rVert} = \frac{I}{\lVert z \rVert} - \frac{z z^\top}{\lVert z \rVert^3}`, 'Quotient rule on z/‖z‖, using ∂‖z‖/∂z = zᵀ/‖z‖.'),
      s(t`J = \frac{\sqrt d}{\lVert z \rVert}\big(I - \hat z \hat z^\top\big) P,\quad \hat z = \frac{z}{\lVert z \rVert}`, 'Chain the two Jacobians.'),
      s(t`(I - \hat z\hat z^\top) P = I - \tfrac1d \mathbf 1\mathbf 1^\top - \hat z \hat z^\top`, 'Since ẑ ⊥ 1, the product of the two projections is their sum minus the identity.'),
      s(t`\hat z \hat z^\top = \frac{s s^\top}{d}`, 's = √d·ẑ.'),
      s(t`J = \frac{1}{\sigma}\Big(I - \frac1d \mathbf 1\mathbf 1^\top - \frac1d s s^\top\Big)`, 'Substitute √d/‖z‖ = 1/σ.'),
      s(t`J\mathbf 1 = 0,\quad J s = 0`, 'The gradient loses its mean and radial parts: layer norm is invariant to shifts and scaling of x.'),
    ],
    caveats: ['With ε, σ = √(‖z‖²/d + ε); the same formula holds with s = z/σ up to an O(ε) correction.'],
    related: ['layer-norm', 'batch-norm', 'quotient-rule'],
  },
  {
    id: 'group-norm',
    area: 'normalization-init',
    title: 'Group normalization',
    summary:
      'GroupNorm splits the C channels into G groups and standardizes each group of each sample over (C/G, H, W). It is independent of the batch size, so it replaces BatchNorm when batches are tiny (detection, segmentation, 3-D). G = 1 gives LayerNorm statistics, G = C gives InstanceNorm. C must be divisible by G.',
    confidence: 'medium',
    formulas: [
      f(t`\mu_{n,g}, \sigma_{n,g} \text{ over } \big(C/G, H, W\big)\ \text{per sample}`, 'μ_{n,g}, σ_{n,g} over (C/G, H, W) per sample'),
      f(t`G = 1 \Rightarrow \text{LN over } (C, H, W),\quad G = C \Rightarrow \text{IN},\quad G = 32 \text{ is common (no default)}`, 'G = 1 ⇒ LN over (C, H, W);  G = C ⇒ IN;  G = 32 is the common choice: nn.GroupNorm(num_groups, num_channels) has no default'),
    ],
    derivation: [
      s(t`\mathcal S_{n,g} = \big\{ (c, h, w) : \lfloor c G / C \rfloor = g \big\},\quad \mu_{n,g} = \frac{1}{|\mathcal S_{n,g}|}\sum_{\mathcal S_{n,g}} x_{nchw}`, 'Each group of C/G consecutive channels of one sample shares a mean and a variance.'),
      s(t`G = 1:\ \mathcal S_{n,0} = \{1..C\}\times\{1..H\}\times\{1..W\};\qquad G = C:\ \mathcal S_{n,c} = \{c\}\times\{1..H\}\times\{1..W\}`, 'One group is layer norm over (C, H, W); one channel per group is instance norm.'),
      s(t`\mu_{n,g} \text{ does not involve } x_{n'} \text{ for } n' \ne n`, 'No statistic crosses samples, so the result does not depend on the batch size.'),
    ],
    related: ['batch-norm', 'layer-norm', 'instance-norm'],
  },
  {
    id: 'instance-norm',
    area: 'normalization-init',
    title: 'Instance normalization',
    summary:
      'InstanceNorm standardizes every channel of every image separately over its H×W pixels, which makes the output invariant to that channel’s contrast and brightness — useful in style transfer. PyTorch’s InstanceNorm2d defaults to affine=False and track_running_stats=False, unlike BatchNorm.',
    confidence: 'medium',
    formulas: [
      f(t`\mu_{n,c} = \frac{1}{HW}\sum_{h,w} x_{nchw},\quad \sigma_{n,c}^2 = \frac{1}{HW}\sum_{h,w}(x_{nchw} - \mu_{n,c})^2`, 'μ_{n,c} = (1/HW)·Σ_{h,w} x_nchw,  σ²_{n,c} = (1/HW)·Σ_{h,w} (x_nchw − μ_{n,c})²'),
      f(t`x \mapsto a x + b\ (a > 0) \Rightarrow \hat x \text{ unchanged}`, 'x ↦ a·x + b (a > 0) ⇒ x̂ unchanged (up to ε)'),
    ],
    derivation: [
      s(t`\mu(ax + b) = a\mu + b,\quad \sigma(ax + b) = a\sigma`, 'Mean and std of a per-channel affine change.'),
      s(t`\frac{ax + b - a\mu - b}{a\sigma} = \frac{x - \mu}{\sigma}`, 'The contrast a and the brightness b cancel.'),
      s(t`\texttt{InstanceNorm2d}(C) \equiv \texttt{GroupNorm}(C, C) \text{ statistics}`, 'One channel per group: the per-sample, per-channel statistics of group norm.'),
    ],
    related: ['group-norm', 'batch-norm'],
  },
  {
    id: 'weight-init-xavier-he',
    area: 'normalization-init',
    title: 'Xavier / He initialization',
    summary:
      'A unit summing fan_in independent products has variance fan_in·Var(w)·E[x²]. Keeping it equal to the input variance gives Var(w) = 1/fan_in (LeCun) for near-linear activations like tanh; ReLU zeroes half of the mass, so He uses 2/fan_in. Xavier’s 2/(fan_in + fan_out) balances the forward and backward passes; with ReLU it halves the variance at every layer.',
    confidence: 'high',
    formulas: [
      f(t`\operatorname{Var}(y_i) = \text{fan}_{\text{in}} \operatorname{Var}(w)\, \mathbb E[x_j^2]`, 'Var(y_i) = fan_in·Var(w)·E[x_j²]'),
      f(t`\text{LeCun: } \tfrac{1}{\text{fan}_{\text{in}}},\quad \text{Xavier: } \tfrac{2}{\text{fan}_{\text{in}} + \text{fan}_{\text{out}}},\quad \text{He: } \tfrac{2}{\text{fan}_{\text{in}}}`, 'Var(w): LeCun 1/fan_in,  Xavier 2/(fan_in + fan_out),  He 2/fan_in'),
      f(t`\mathcal U\big(\pm\sqrt{6/(\text{fan}_{\text{in}} + \text{fan}_{\text{out}})}\big),\quad \mathcal U\big(\pm\sqrt{6/\text{fan}_{\text{in}}}\big)`, 'uniform bounds: Xavier ±√(6/(fan_in + fan_out)),  He ±√(6/fan_in)'),
      f(t`\text{PyTorch default: } \mathcal U\big(\pm 1/\sqrt{\text{fan}_{\text{in}}}\big) \Rightarrow \operatorname{Var} = \frac{1}{3\,\text{fan}_{\text{in}}}`, 'PyTorch default (kaiming_uniform_, a = √5): U(±1/√fan_in) ⇒ Var = 1/(3·fan_in)'),
      f(t`\text{Xavier} + \mathrm{ReLU}:\ \frac{\operatorname{Var}_{\text{out}}}{\operatorname{Var}_{\text{in}}} = \frac12 \Rightarrow \big(\tfrac12\big)^{L}`, 'Xavier + ReLU: Var_out/Var_in = ½ per layer ⇒ (½)^L after L layers'),
    ],
    derivation: [
      s(t`y_i = \sum_{j=1}^{\text{fan}_{\text{in}}} w_{ij} x_j`, 'A unit is a sum of fan_in products.'),
      s(t`\operatorname{Var}(y_i) = \sum_j \operatorname{Var}(w_{ij} x_j) = \text{fan}_{\text{in}} \operatorname{Var}(w)\, \mathbb E[x_j^2]`, 'Independent terms; w has zero mean and is independent of x.'),
      s(t`\tanh'(0) = 1,\ \mathbb E[x^2] \approx \operatorname{Var}(z) \Rightarrow \operatorname{Var}(w) = \frac{1}{\text{fan}_{\text{in}}}`, 'Near zero tanh is the identity; require Var(y) = Var(z).'),
      s(t`x = \mathrm{ReLU}(z),\ z \text{ symmetric} \Rightarrow \mathbb E[x^2] = \tfrac12 \operatorname{Var}(z) \Rightarrow \operatorname{Var}(w) = \frac{2}{\text{fan}_{\text{in}}}`, 'ReLU keeps half of the second moment, so He doubles the variance.'),
      s(t`\operatorname{Var}(\partial L/\partial x) = \text{fan}_{\text{out}} \operatorname{Var}(w) \operatorname{Var}(\partial L/\partial y)`, 'The backward pass gives the symmetric condition with fan_out; Xavier averages the two.'),
      s(t`\prod_{l=1}^{L} \frac{\operatorname{Var}_l}{\operatorname{Var}_{l-1}} = \Big(\frac{2}{\text{fan}_{\text{in}} + \text{fan}_{\text{out}}} \cdot \frac{\text{fan}_{\text{in}}}{2}\Big)^L = \big(\tfrac12\big)^L`, 'Xavier with ReLU and fan_in = fan_out halves the variance at each of L layers.'),
    ],
    caveats: [
      'Var(w) = 1/fan_in is LeCun init; Glorot & Bengio’s Xavier init is 2/(fan_in + fan_out). They coincide when fan_in = fan_out.',
      'Measured with PyTorch 1.13 (20 nn.Linear layers of width 512 with bias=False): ReLU activation std falls to 1.4e-8 with the default init and 7.6e-4 with Xavier, and stays ≈0.85–1.0 with Kaiming. With nn.Linear’s default bias the default init ends near 1.6e-2 instead: each bias adds Var(b) = 1/(3·fan_in) to Var(z), which sets a floor.',
      'tanh′(0) = 1 is the small-signal view. At Var(z) = 1, E[tanh(z)²] = 0.394, and sigmoid’s mean ½ gives E[σ(z)²] = 0.293 (not its slope² 1/16): the next layer’s variance follows the second moment E[φ(z)²], which init-std and the editor’s variance chain compute. A tanh stack settles instead of compounding: measured at depth 20, std ≈0.55 under Kaiming and ≈0.65 under Xavier gain 5/3, so a linearised gain (2.78 per layer for 5/3) does not describe it.',
    ],
    calculators: ['init-std'],
    simulations: ['activation-variance'],
    parameters: [intParam('fanIn', t`\text{fan}_{\text{in}}`, 'fan-in', 512, 1), intParam('fanOut', t`\text{fan}_{\text{out}}`, 'fan-out', 512, 1), intParam('L', t`L`, 'depth', 20, 1, 10000)],
    snippets: [
      {
        title: 'He init for a ReLU network',
        code: 'for m in model.modules():\n    if isinstance(m, (nn.Conv2d, nn.Linear)):\n        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")\n        if m.bias is not None:\n            nn.init.zeros_(m.bias)\n',
      },
    ],
    related: ['init-failure-modes', 'rnn-initialization', 'variance-identities'],
  },
  {
    id: 'init-failure-modes',
    area: 'normalization-init',
    title: 'Dead ReLUs, zero or constant init, bias init',
    summary:
      'A ReLU that is negative on every input gets zero gradient forever: wasted compute that usually cannot recover. All-zero weights block the gradient to every layer but the last, and constant weights keep all units identical, so symmetry never breaks. Biases can start at 0: the random weights break the symmetry and the optimizer sets the biases quickly.',
    confidence: 'medium',
    formulas: [
      f(t`w^\top x + b < 0\ \ \forall x \in \mathcal D \Rightarrow \frac{\partial L}{\partial w} = \frac{\partial L}{\partial b} = 0`, 'wᵀx + b < 0 for all x ⇒ ∂L/∂w = ∂L/∂b = 0 forever (ReLU)'),
      f(t`\text{all } W_l = 0:\ \frac{\partial L}{\partial h_l} = W_{l+1}^\top \delta_{l+1} = 0\ \ (l < L)`, 'all W_l = 0 ⇒ ∂L/∂h_l = W_{l+1}ᵀδ_{l+1} = 0 for every l < L: only the last layer gets a gradient'),
      f(t`W_l = c\,\mathbf 1\mathbf 1^\top:\ \text{all units identical, and they stay identical}`, 'W_l = c·11ᵀ: all units identical, and they stay identical'),
    ],
    derivation: [
      s(t`\delta_l = \big(W_{l+1}^\top \delta_{l+1}\big) \odot \phi'(a_l)`, 'Backprop multiplies by the next layer’s transposed weights.'),
      s(t`W_{l+1} = 0 \Rightarrow \delta_l = 0 \Rightarrow \frac{\partial L}{\partial W_l} = \delta_l h_{l-1}^\top = 0`, 'A zero matrix blocks the gradient to everything below it.'),
      s(t`W = c\mathbf 1\mathbf 1^\top \Rightarrow h_i = h_j,\ \delta_i = \delta_j \Rightarrow \Delta W_{i,:} = \Delta W_{j,:}`, 'Identical units receive identical updates, so symmetry is never broken.'),
    ],
    caveats: [
      'With all weights zero even the last layer’s weights learn only if its input h_{L−1} = φ(b_{L−1}) is non-zero: with zero biases and φ(0) = 0 (ReLU, tanh) only the last bias moves.',
      'A small positive ReLU bias (e.g. 0.01) is sometimes used to reduce dead units; the evidence for it is mixed.',
    ],
    simulations: ['activation-variance'],
    related: ['weight-init-xavier-he', 'training-loop-debugging'],
  },
];
