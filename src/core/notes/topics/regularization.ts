// Area 7, regularization: the dropout family, residuals, label smoothing, augmentation, ridge and adversarial examples.
import { formula as f, step as s, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const regularizationTopics: readonly NoteTopicSource[] = [
  {
    id: 'dropout',
    area: 'regularization',
    title: 'Dropout',
    summary:
      'Dropout zeroes each unit with probability p during training, so no single unit can be solely responsible and co-adaptation is discouraged. PyTorch uses inverted dropout: kept units are divided by 1 − p, so the expected activation is unchanged and evaluation uses the plain network. Classic dropout instead scales by 1 − p at eval. For a linear model it acts as a data-adaptive ridge penalty.',
    confidence: 'high',
    formulas: [
      f(t`\tilde h = \frac{m \odot h}{1 - p},\ \ m_i \sim \operatorname{Bern}(1 - p) \Rightarrow \mathbb E[\tilde h] = h;\ \ \text{eval: } \tilde h = h`, 'inverted (PyTorch): h̃ = (m ⊙ h)/(1 − p), m_i ~ Bern(1 − p) ⇒ E[h̃] = h;  eval: h̃ = h', 'PyTorch'),
      f(t`\text{classic: train } \tilde h = m \odot h,\ \ \text{eval } \tilde h = (1 - p)\, h`, 'classic: train h̃ = m ⊙ h,  eval h̃ = (1 − p)·h'),
      f(t`\mathbb E\lVert y - W\tilde x \rVert^2 = \lVert y - Wx \rVert^2 + \frac{p}{1-p}\sum_j \lVert W_{:,j} \rVert^2 x_j^2`, 'E‖y − Wx̃‖² = ‖y − Wx‖² + p/(1 − p)·Σ_j ‖W_{:,j}‖²·x_j²  (dropout on the inputs of a linear model)'),
    ],
    derivation: [
      s(t`\mathbb E[\tilde h_i] = (1 - p)\cdot\frac{h_i}{1 - p} + p \cdot 0 = h_i`, 'Inverted scaling keeps the expectation, so nothing changes at eval.'),
      s(t`\mathbb E[m_i h_i] = (1 - p)\, h_i`, 'Without rescaling the training activations are (1 − p) times smaller, hence the classic eval scaling.'),
      s(t`\mathbb E\lVert y - W\tilde x \rVert^2 = \lVert y - W\mathbb E\tilde x \rVert^2 + \sum_j \lVert W_{:,j}\rVert^2 \operatorname{Var}(\tilde x_j)`, 'Bias–variance split, as for masking noise.'),
      s(t`\operatorname{Var}(\tilde x_j) = \frac{p}{1-p} x_j^2`, 'The variance of a rescaled Bernoulli mask gives a data-adaptive ridge.'),
      s(t`m_i = 0 \Rightarrow \frac{\partial L}{\partial w_{i,:}} = 0`, 'Dropped units contribute nothing forward, so their outgoing weights get no gradient on that sample.'),
    ],
    caveats: [
      'The notes say dropout discourages sparsity; Srivastava et al. (2014) report sparser activations. What it discourages is co-adaptation.',
      'Use channel dropout (Dropout2d) on conv feature maps.',
    ],
    related: ['spatial-dropout-drop-channels', 'stochastic-depth', 'masking-as-subtractive-noise', 'input-standardization'],
  },
  {
    id: 'spatial-dropout-drop-channels',
    area: 'regularization',
    title: 'Drop channels, not pixels',
    summary:
      'Neighbouring pixels are strongly correlated, so a dropped pixel is easily reconstructed from its neighbours and element-wise dropout barely regularizes a conv net. Dropping whole channels (one mask per channel, shared over H×W) stops the network from relying on fine-grained pixel details. DropBlock drops contiguous blocks instead.',
    confidence: 'medium',
    formulas: [
      f(t`\tilde y_{n,c,:,:} = \frac{m_{n,c}}{1 - p}\, y_{n,c,:,:},\quad m_{n,c} \sim \operatorname{Bern}(1 - p)`, 'Dropout2d: ỹ_{n,c,:,:} = m_{n,c}/(1 − p)·y_{n,c,:,:},  m_{n,c} ~ Bern(1 − p)'),
    ],
    derivation: [
      s(t`\mathbb E[\tilde y_{n,c,h,w}] = \frac{(1 - p)\, y_{n,c,h,w}}{1 - p} = y_{n,c,h,w}`, 'One mask per channel still keeps every expectation, as element-wise dropout does.'),
      s(t`y_{n,c,h,w} \approx y_{n,c,h,w+1} \Rightarrow \text{dropping one pixel removes almost no information}`, 'Neighbouring activations are strongly correlated, so only dropping the whole map forces redundancy across channels.'),
    ],
    related: ['dropout'],
  },
  {
    id: 'stochastic-depth',
    area: 'regularization',
    title: 'Stochastic depth',
    summary:
      'Stochastic depth drops whole residual blocks during training, keeping only the identity path, with a survival probability that decreases linearly with depth. At test time every block is kept, scaled by its survival probability (or, as in torchvision, the training output is divided by it). The network behaves like an implicit ensemble of shallower networks.',
    confidence: 'high',
    formulas: [
      f(t`h_l = h_{l-1} + b_l\, F_l(h_{l-1}),\ \ b_l \sim \operatorname{Bern}(p_l),\ \ p_l = 1 - \tfrac{l}{L}(1 - p_L)`, 'h_l = h_{l−1} + b_l·F_l(h_{l−1}),  b_l ~ Bern(p_l),  p_l = 1 − (l/L)(1 − p_L)'),
      f(t`\text{test: } h_l = h_{l-1} + p_l\, F_l(h_{l-1})`, 'test: h_l = h_{l−1} + p_l·F_l(h_{l−1})'),
    ],
    derivation: [
      s(t`\mathbb E[b_l F_l] = p_l F_l`, 'The same expectation argument as dropout, at block granularity.'),
      s(t`\mathbb E[\#\text{active blocks}] = \sum_{l=1}^{L} p_l = L - \frac{(1 - p_L)(L + 1)}{2}`, 'With p_L = 0.5 and the linear schedule, about a quarter of the blocks are skipped on average.'),
      s(t`\text{test: } h_l = h_{l-1} + p_l F_l(h_{l-1})`, 'At test time every block runs, scaled by its survival probability so it matches the training expectation.'),
    ],
    caveats: ['torchvision.ops.StochasticDepth(p, mode) takes p as the drop probability and divides by 1 − p during training.'],
    related: ['dropout', 'residual-connections'],
  },
  {
    id: 'residual-connections',
    area: 'regularization',
    title: 'Residual (skip) connections',
    summary:
      'A residual block modifies its input instead of replacing it: y = x + F(x). Its Jacobian is I + ∂F/∂x, so the product of Jacobians through many blocks always contains an identity path and the gradient cannot vanish multiplicatively. Pre-norm keeps that identity path all the way through, which stabilizes deep transformers.',
    confidence: 'high',
    formulas: [
      f(t`y = x + F(x),\quad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\Big(I + \frac{\partial F}{\partial x}\Big)`, 'y = x + F(x),  ∂L/∂x = ∂L/∂y·(I + ∂F/∂x)'),
      f(t`x_L = x_l + \sum_{k=l}^{L-1} F_k(x_k) \Rightarrow \frac{\partial L}{\partial x_l} = \frac{\partial L}{\partial x_L}\Big(I + \frac{\partial}{\partial x_l}\sum_k F_k\Big)`, 'x_L = x_l + Σ_k F_k(x_k) ⇒ ∂L/∂x_l = ∂L/∂x_L·(I + ∂/∂x_l Σ_k F_k)'),
      f(t`\text{pre-norm: } x + F(\operatorname{LN}(x)),\qquad \text{post-norm: } \operatorname{LN}(x + F(x))`, 'pre-norm: x + F(LN(x));  post-norm: LN(x + F(x))'),
    ],
    derivation: [
      s(t`\frac{\partial}{\partial x}\big(x + F(x)\big) = I + \frac{\partial F}{\partial x}`, 'Chain rule on the sum: the skip contributes the identity.'),
      s(t`\prod_{k=l}^{L-1}\big(I + J_k\big) = I + \sum_k J_k + \sum_{k < k'} J_{k'} J_k + \dots`, 'Expanding the product over blocks gives 2^(L−l) paths, one of which is the identity.'),
      s(t`\frac{\partial L}{\partial x_l} = \frac{\partial L}{\partial x_L} + \dots`, 'The loss gradient reaches every block directly, whatever the other terms do.'),
    ],
    caveats: ['Unrolled, a residual net is an ensemble of paths of different lengths; the gradient flows mostly through the short ones (Veit et al. 2016).'],
    simulations: ['activation-variance'],
    related: ['backprop-two-layer-vector-calculus', 'training-loop-debugging', 'stochastic-depth', 'rnn-state-normalization-skips'],
  },
  {
    id: 'label-smoothing',
    area: 'regularization',
    title: 'Label smoothing',
    summary:
      'With a one-hot target, cross-entropy is only minimized as the true logit runs away from the others, so the model grows over-confident. Label smoothing mixes the target with the uniform distribution — 1 − ε + ε/K on the true class — whose minimizer has a finite logit gap ln(1 + K(1 − ε)/ε): 4.51 for ε = 0.1, K = 10.',
    confidence: 'high',
    formulas: [
      f(t`y^{\text{LS}} = (1 - \varepsilon)\, y_{\text{onehot}} + \frac{\varepsilon}{K}\mathbf 1`, 'y^LS = (1 − ε)·y_onehot + ε/K   (PyTorch label_smoothing = ε)'),
      f(t`\mathcal L = \operatorname{CE}(y^{\text{LS}}, p) = (1 - \varepsilon)\operatorname{CE}(y, p) + \varepsilon \operatorname{CE}(u, p)`, 'L = CE(y^LS, p) = (1 − ε)·CE(y, p) + ε·CE(u, p)'),
      f(t`\frac{\partial \mathcal L}{\partial z} = p - y^{\text{LS}}`, '∂L/∂z = p − y^LS'),
      f(t`z_y - z_{j \ne y} = \ln\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K} = \ln\Big(1 + \frac{K(1 - \varepsilon)}{\varepsilon}\Big)`, 'optimal logit gap: z_y − z_j = ln((1 − ε + ε/K)/(ε/K)) = ln(1 + K(1 − ε)/ε)'),
    ],
    derivation: [
      s(t`\operatorname{CE}(y, p) = -\ln p_y = -z_y + \ln\sum_j e^{z_j}`, 'With a one-hot target only the true class counts.'),
      s(t`-\ln p_y \to 0 \iff z_y - z_j \to \infty`, 'The one-hot loss has no finite minimizer: the logits keep growing.'),
      s(t`\frac{\partial \mathcal L}{\partial z} = p - y^{\text{LS}} = 0 \iff p = y^{\text{LS}}`, 'With smoothed targets the minimizer is the target distribution itself.'),
      s(t`\frac{p_y}{p_j} = e^{z_y - z_j} = \frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K}`, 'Softmax ratios are exponentials of logit differences (shift invariance).'),
      s(t`\varepsilon = 0.1,\ K = 10:\ \ln\frac{0.91}{0.01} = \ln 91 \approx 4.51`, 'Numerical example.'),
    ],
    caveats: ['The notes’ “0.9” corresponds to ε = 0.1; the variant “0.9 on the true class, 0.1/(K − 1) on each other class” also exists.'],
    related: ['entropy-cross-entropy-kl', 'training-loop-debugging'],
  },
  {
    id: 'data-augmentation',
    area: 'regularization',
    title: 'Data augmentation',
    summary:
      'Perturbing the training inputs (flips, crops, colour, noise) teaches the model the corresponding invariances. Because first-layer updates are weighted sums of the inputs, augmentation acts like regularizing noise; for small additive noise and squared loss it is equivalent to a penalty on the input gradient (Tikhonov). Evaluation transforms must stay deterministic.',
    confidence: 'high',
    formulas: [
      f(t`\frac{\partial L}{\partial W_1} = \sum_n \delta_n x_n^\top`, '∂L/∂W₁ = Σ_n δ_n·x_nᵀ  (updates lie in the span of the augmented inputs)'),
      f(t`\min_\theta\ \mathbb E_{(x,y)}\, \mathbb E_{T \sim \mathcal T}\, L\big(f_\theta(T(x)), y\big)`, 'min_θ E_(x,y) E_{T~𝒯} L(f_θ(T(x)), y)'),
      f(t`\mathbb E_\epsilon\big[(f(x + \epsilon) - y)^2\big] \approx (f(x) - y)^2 + \sigma^2 \lVert \nabla_x f \rVert^2`, 'E_ε[(f(x + ε) − y)²] ≈ (f(x) − y)² + σ²‖∇_x f‖²   (Bishop 1995)'),
    ],
    derivation: [
      s(t`\frac{\partial L}{\partial W_1} = \sum_n \delta_n x_n^\top`, 'The first-layer gradient is an outer product with the inputs, so weight changes are weighted sums of input patches.'),
      s(t`f(x + \epsilon) \approx f(x) + \nabla_x f^\top \epsilon + \tfrac12 \epsilon^\top H \epsilon`, 'Taylor-expand the model in the noise.'),
      s(t`\mathbb E\big[(f(x) - y)\nabla_x f^\top \epsilon\big] = 0,\quad \mathbb E\big[(\nabla_x f^\top\epsilon)^2\big] = \sigma^2 \lVert \nabla_x f \rVert^2`, 'The first-order term has zero mean; its square gives the gradient penalty.'),
      s(t`\mathbb E\big[(f(x) - y)\,\epsilon^\top H \epsilon\big] = \sigma^2 (f(x) - y)\operatorname{tr} H \approx 0`, 'The curvature term is multiplied by the residual, which vanishes at the optimum (Bishop’s argument).'),
    ],
    snippets: [
      {
        title: 'Train vs eval transforms',
        code: 'train_tf = transforms.Compose([\n    transforms.RandomResizedCrop(224),\n    transforms.RandomHorizontalFlip(),\n    transforms.ToTensor(),\n    transforms.Normalize(mean, std),\n])\neval_tf = transforms.Compose([\n    transforms.Resize(256),\n    transforms.CenterCrop(224),\n    transforms.ToTensor(),\n    transforms.Normalize(mean, std),\n])\n',
      },
    ],
    related: ['input-standardization', 'dropout'],
  },
  {
    id: 'ridge-regression-kernel-form',
    area: 'regularization',
    title: 'Ridge regression and its kernel form',
    summary:
      'Ridge adds λ‖b‖² to least squares; the solution (AᵀA + λI)⁻¹Aᵀy equals Aᵀ(AAᵀ + λI)⁻¹y, an n×n solve that only needs inner products (the kernel form). In the SVD basis ridge multiplies each direction by σᵢ²/(σᵢ² + λ), and as λ → 0 it tends to the pseudo-inverse solution. The denoising autoencoder is ridge in this form.',
    confidence: 'high',
    formulas: [
      f(t`b^* = (A^\top A + \lambda I_d)^{-1} A^\top y = A^\top (AA^\top + \lambda I_n)^{-1} y`, 'b* = (AᵀA + λI_d)⁻¹Aᵀy = Aᵀ(AAᵀ + λI_n)⁻¹y'),
      f(t`f(x) = x^\top b^* = k(x)^\top (K + \lambda I)^{-1} y,\quad K = AA^\top,\ k(x) = Ax`, 'f(x) = xᵀb* = k(x)ᵀ(K + λI)⁻¹y,  K = AAᵀ, k(x) = Ax'),
      f(t`b^* = \sum_i \frac{\sigma_i}{\sigma_i^2 + \lambda}(u_i^\top y)\, v_i,\qquad \lambda \to 0^+:\ b^* \to A^+ y`, 'b* = Σ_i σ_i/(σ_i² + λ)·(u_iᵀy)·v_i;  λ → 0⁺: b* → A⁺y'),
    ],
    derivation: [
      s(t`\nabla_b\big(\lVert y - Ab \rVert^2 + \lambda \lVert b \rVert^2\big) = -2A^\top(y - Ab) + 2\lambda b = 0`, 'Set the gradient to zero.'),
      s(t`b^* = (A^\top A + \lambda I)^{-1} A^\top y`, 'AᵀA + λI is invertible for λ > 0.'),
      s(t`A^\top (AA^\top + \lambda I) = (A^\top A + \lambda I) A^\top`, 'Push-through identity: both sides equal AᵀAAᵀ + λAᵀ.'),
      s(t`(A^\top A + \lambda I)^{-1} A^\top = A^\top (AA^\top + \lambda I)^{-1}`, 'Multiply on the left and the right by the two inverses.'),
      s(t`A = U\Sigma V^\top \Rightarrow b^* = V \operatorname{diag}\Big(\frac{\sigma_i}{\sigma_i^2 + \lambda}\Big) U^\top y`, 'Substitute the SVD: filter factors σᵢ²/(σᵢ² + λ) relative to the pseudo-inverse.'),
    ],
    caveats: ['Use the kernel form when n < d, or with a non-linear kernel.'],
    related: ['denoising-autoencoder-ridge', 'gd-least-squares-convergence'],
  },
  {
    id: 'adversarial-examples-linear',
    area: 'regularization',
    title: 'Adversarial examples: the high-dimensional linear argument',
    summary:
      'A linear classifier whose true signal is one coordinate also picks up small spurious weights on the d − 1 noise coordinates. A worst-case ℓ∞ perturbation of size δ per coordinate shifts the score by δ‖w‖₁, which grows like d, while the clean score’s noise grows only like √d — so in high dimension a vanishing per-coordinate δ flips the label.',
    confidence: 'medium',
    formulas: [
      f(t`s(x) = w^\top x \sim \mathcal N\big(0,\ \beta^2\sigma^2 + (d - 1)\tau^2\big):\ \text{accurate iff } \beta\sigma \gg \tau\sqrt d`, 's(x) = wᵀx ~ N(0, β²σ² + (d − 1)τ²): clean accuracy high iff βσ ≫ τ√d'),
      f(t`x' = x - \delta\, \operatorname{sgn}(s(x)) \operatorname{sgn}(w):\ s(x') = s(x) - \operatorname{sgn}(s)\, \delta \lVert w \rVert_1`, "x′ = x − δ·sgn(s(x))·sgn(w):  s(x′) = s(x) − sgn(s)·δ·‖w‖₁"),
      f(t`\lVert w \rVert_1 \approx \beta + (d - 1)\tau\sqrt{2/\pi},\qquad \delta_{\text{needed}} \approx \frac{\beta\sigma}{\beta + 0.8\, d\tau}`, '‖w‖₁ ≈ β + (d − 1)τ√(2/π);  δ_needed ≈ βσ/(β + 0.8·d·τ)'),
      f(t`\text{FGSM: } x' = x + \epsilon \operatorname{sgn}\big(\nabla_x L(f(x), y)\big)`, 'FGSM: x′ = x + ε·sgn(∇_x L(f(x), y))'),
    ],
    derivation: [
      s(t`s(x) = \beta x_1 + \sum_{i=2}^{d} \epsilon_i x_i`, 'The score is a sum of independent Gaussians: signal βσ, noise τ√(d − 1).'),
      s(t`\max_{\lVert \Delta \rVert_\infty \le \delta} |w^\top \Delta| = \delta \lVert w \rVert_1`, 'The worst ℓ∞ perturbation aligns with sgn(w).'),
      s(t`\mathbb E|\epsilon_i| = \tau\sqrt{2/\pi} \Rightarrow \lVert w \rVert_1 \approx \beta + (d - 1)\tau\sqrt{2/\pi}`, 'Mean absolute value of a Gaussian.'),
      s(t`\delta \lVert w \rVert_1 > |s(x)| \approx \beta\sigma \Rightarrow \delta_{\text{needed}} \approx \frac{\beta\sigma}{\beta + 0.8\, d\tau} \xrightarrow{d \to \infty} 0`, 'The shift grows like d while the clean margin does not: a vanishing δ suffices.'),
    ],
    caveats: ['The effect comes from ‖w‖₁ ≫ ‖w‖₂ in high dimension; an ℓ₂ perturbation of the same per-coordinate size has norm δ√d.'],
    snippets: [
      {
        title: 'FGSM',
        code: 'def fgsm(model, x, y, eps):\n    x = x.clone().detach().requires_grad_(True)\n    loss = F.cross_entropy(model(x), y)\n    loss.backward()\n    return (x + eps * x.grad.sign()).detach()\n',
      },
    ],
    related: ['ridge-regression-kernel-form'],
  },
];
