// Area 8, transfer-meta: forgetting, prompt tuning, which layers to fine-tune, and MAML.
import { formula as f, step as s, tex as t } from '../author';
import type { NoteTopicSource } from '../types';

export const transferMetaTopics: readonly NoteTopicSource[] = [
  {
    id: 'forgetting-mitigation',
    area: 'transfer-meta',
    title: 'Mitigating catastrophic forgetting',
    summary:
      'Forgetting mitigation boils down to keeping the new model close to the old one — a form of regularization where less change is better. Options: train few parameters (prompt tuning), replay old data alongside the new, or graft a new head and keep supervising the old head with the old model’s outputs (LwF). EWC weights the pull-back by each parameter’s Fisher information.',
    confidence: 'medium',
    formulas: [
      f(t`\text{L2-SP: } \mathcal L_{\text{new}} + \tfrac{\lambda}{2}\lVert \theta - \theta_{\text{old}} \rVert^2`, 'L2-SP: L_new + λ/2·‖θ − θ_old‖²'),
      f(t`\text{EWC: } \mathcal L_{\text{new}} + \tfrac{\lambda}{2}\sum_i F_i(\theta_i - \theta_i^*)^2,\quad F_i = \mathbb E\big[(\partial_{\theta_i}\log p_\theta(y \mid x))^2\big]`, 'EWC: L_new + λ/2·Σ_i F_i(θ_i − θ*_i)²,  F_i = E[(∂_θi log p(y|x))²]'),
      f(t`\text{LwF: } \mathcal L_{\text{new}} + \lambda_o \sum_x D_{\mathrm{KL}}\big(p^{T}_{\text{old}}(\cdot \mid x) \,\Vert\, p^{T}_{\theta}(\cdot \mid x)\big)`, 'LwF: L_new + λ_o·Σ_x KL(p_old^T(·|x) ‖ p_θ^T(·|x))  (temperature T = 2)'),
      f(t`\text{replay: } \rho\, \mathcal L_{\text{old}} + (1 - \rho)\, \mathcal L_{\text{new}}`, 'replay: ρ·L_old + (1 − ρ)·L_new'),
    ],
    derivation: [
      s(t`\log p(\theta \mid \mathcal D_A, \mathcal D_B) = \log p(\mathcal D_B \mid \theta) + \log p(\theta \mid \mathcal D_A) - \log p(\mathcal D_B \mid \mathcal D_A)`, 'Bayes: the old task enters the new one only through its posterior.'),
      s(t`\log p(\theta \mid \mathcal D_A) \approx \log p(\theta^* \mid \mathcal D_A) - \tfrac12 (\theta - \theta^*)^\top H (\theta - \theta^*)`, 'Second-order Taylor expansion at the old optimum θ*, where the gradient vanishes (Laplace).'),
      s(t`H \approx \operatorname{diag}(F_1, \dots, F_n) \Rightarrow \mathcal L = \mathcal L_{\text{new}} + \tfrac{\lambda}{2}\sum_i F_i (\theta_i - \theta^*_i)^2`, 'Approximate the Hessian by the diagonal Fisher information: that is EWC’s penalty.'),
    ],
    caveats: ['EWC is a Laplace (quadratic) approximation of the old task’s posterior around θ*.'],
    related: ['prompt-tuning', 'fine-tuning-layer-selection', 'entropy-cross-entropy-kl'],
  },
  {
    id: 'prompt-tuning',
    area: 'transfer-meta',
    title: 'Prompt tuning',
    summary:
      'Prompt tuning prepends p learnable embedding vectors to the input sequence and freezes the model. The vectors are freer than real (vocabulary) tokens, there are very few trainable parameters (p·d), and it works best on large models — the gap to full fine-tuning closes around 10B parameters. Making keys and values learnable in every layer is prefix tuning.',
    confidence: 'medium',
    formulas: [
      f(t`\text{input} = [P;\, E(x)],\quad P \in \mathbb R^{p \times d} \text{ trainable}`, 'input = [P; E(x)],  P ∈ ℝ^{p×d} trainable'),
      f(t`\#\text{params} = p\, d\ \ (20 \times 4096 = 81{,}920);\qquad \text{prefix tuning: } 2 L p d`, '#params = p·d (e.g. 20 × 4096 = 81,920);  prefix tuning: 2·L·p·d'),
    ],
    derivation: [
      s(t`P \in \mathbb R^{p \times d}:\ 20 \times 4096 = 81{,}920`, 'Only the prepended embeddings are trained.'),
      s(t`\text{prefix: } \underbrace{2}_{K,\,V} \cdot \underbrace{32}_{L} \cdot 20 \cdot 4096 = 5{,}242{,}880`, 'Prefix tuning learns a key and a value prefix in each of the L layers.'),
    ],
    caveats: ['The OCR suggests “first layer’s keys learnable”; prompt tuning changes only the input, and influences every layer’s keys and values through computation.'],
    related: ['forgetting-mitigation', 'fine-tuning-layer-selection'],
  },
  {
    id: 'fine-tuning-layer-selection',
    area: 'transfer-meta',
    title: 'Which layers to fine-tune, and layer-wise learning rates',
    summary:
      'Early layers hold generic low-level features, late layers task-specific ones: fine-tune the early layers when the data comes from a new domain, the later layers for a new task. Lower learning rates per layer (layer-wise decay) protect the pretrained features; linear probing before fine-tuning reduces feature distortion.',
    confidence: 'medium',
    formulas: [
      f(t`\eta_l = \eta_{\text{top}}\, \xi^{\,L - l},\quad \xi \in [0.65, 0.95]`, 'layer-wise LR decay: η_l = η_top·ξ^(L−l),  ξ ∈ [0.65, 0.95]'),
      f(t`\eta_{\text{fine-tune}} \approx \tfrac{1}{10} \text{ to } \tfrac{1}{100}\ \eta_{\text{pre-train}}`, 'fine-tune LR ≈ 1/10 to 1/100 of the pre-training LR'),
    ],
    derivation: [
      s(t`\xi = 0.8,\ L = 12:\ \eta_1 = \eta_{\text{top}} \cdot 0.8^{11} \approx 0.086\, \eta_{\text{top}}`, 'With layer-wise decay the first layer moves about 12× more slowly than the top one, protecting generic features.'),
    ],
    snippets: [
      {
        title: 'Per-layer learning rates',
        code: 'layers = list(model.encoder.layers)\nparam_groups = [\n    {"params": layer.parameters(), "lr": lr_top * decay ** (len(layers) - 1 - i)}\n    for i, layer in enumerate(layers)\n]\noptimizer = torch.optim.AdamW(param_groups, weight_decay=0.01)\n',
      },
    ],
    related: ['forgetting-mitigation', 'prompt-tuning'],
  },
  {
    id: 'maml',
    area: 'transfer-meta',
    title: 'Meta-learning with MAML',
    summary:
      'MAML learns an initialization from which one or a few gradient steps on a new task’s k examples work well. For each sampled task it adapts θ by an inner gradient step, evaluates the adapted parameters on held-out data, and updates θ through the inner step. The meta-gradient carries the factor I − αH; first-order MAML drops the Hessian.',
    confidence: 'high',
    formulas: [
      f(t`\theta'_i = \theta - \alpha \nabla_\theta L^{\text{tr}}_{T_i}(f_\theta)`, 'θ′_i = θ − α·∇_θ L^tr_{T_i}(f_θ)'),
      f(t`\theta \leftarrow \theta - \beta \nabla_\theta \sum_{T_i} L^{\text{val}}_{T_i}\big(f_{\theta'_i}\big)`, 'θ ← θ − β·∇_θ Σ_i L^val_{T_i}(f_{θ′_i})'),
      f(t`\nabla_\theta L^{\text{val}}(\theta'_i) = \big(I - \alpha \nabla^2_\theta L^{\text{tr}}_{T_i}(\theta)\big) \nabla_{\theta'} L^{\text{val}}(\theta'_i)`, '∇_θ L^val(θ′_i) = (I − α·∇²L^tr(θ))·∇_θ′ L^val(θ′_i)'),
      f(t`\text{Reptile: } \theta \leftarrow \theta + \epsilon(\theta'_i - \theta)`, 'Reptile: θ ← θ + ε(θ′_i − θ)'),
    ],
    derivation: [
      s(t`T_i \sim p(T),\quad \theta'_i = \theta - \alpha \nabla_\theta L^{\text{tr}}_{T_i}(\theta)`, 'Sample tasks and adapt with one gradient step on k training examples.'),
      s(t`\frac{\partial \theta'_i}{\partial \theta} = I - \alpha \nabla^2_\theta L^{\text{tr}}_{T_i}(\theta)`, 'Differentiate the inner update: its Jacobian involves the Hessian.'),
      s(t`\nabla_\theta L^{\text{val}}(\theta'_i) = \Big(\frac{\partial \theta'_i}{\partial \theta}\Big)^\top \nabla_{\theta'} L^{\text{val}}(\theta'_i)`, 'Chain rule through the inner update.'),
      s(t`I - \alpha H \approx I`, 'First-order MAML drops the Hessian term.'),
    ],
    snippets: [
      {
        title: 'MAML inner loop (torch.func)',
        code: 'from torch.func import functional_call, grad\n\ndef inner_loss(params, x, y):\n    return F.mse_loss(functional_call(model, params, (x,)), y)\n\nparams = dict(model.named_parameters())\nmeta_loss = 0.0\nfor x_tr, y_tr, x_val, y_val in tasks:\n    grads = grad(inner_loss)(params, x_tr, y_tr)\n    adapted = {k: p - alpha * grads[k] for k, p in params.items()}\n    meta_loss = meta_loss + inner_loss(adapted, x_val, y_val)\nmeta_loss.backward()\nmeta_optimizer.step()\n',
      },
    ],
    related: ['fine-tuning-layer-selection'],
  },
];
