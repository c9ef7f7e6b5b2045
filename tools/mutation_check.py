"""Can the tests fail? Plant one deliberate bug at a time and see whether the tests catch it.

Each mutation below is a small, plausible mistake in a formula, a paper default or a piece of plumbing (a missing
T^2, a target left attached to the graph, the wrong weight decay). It is applied to the notebook cell and to its
exported module alike, in a scratch clone of the committed HEAD; then the module's doctests and the notebook run,
stopping at the first failure. A mutation that survives both marks a behaviour no test pins down. Code that is not
exported from a notebook (the README's table builder) is mutated in its own file and judged by its tests.

    python tools/mutation_check.py            # all of them: about 57 minutes on 2 CPU cores,
                                              # 25 of them in the 23 command-line mutations
    python tools/mutation_check.py dml_T      # some, by name
    python tools/mutation_check.py --list

Uses the repository's `.venv` (run `make test` once first). Exit status 1 if any mutation survives.
"""
import json, os, re, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, notebook or .py file, exact text, replacement[, a tests/ file that should catch it as well as or instead of the
# notebook]); the text must occur once in the notebook and once in its module (or once in the file)
MUTATIONS = [
    # losses
    ('kd_without_T2', '03_losses', "log_target=True) * T * T", "log_target=True) * T"),
    ('kd_reversed', '03_losses', "F.kl_div(F.log_softmax(s.float() / T, 1), F.log_softmax(t.float() / T, 1)",
     "F.kl_div(F.log_softmax(t.float() / T, 1), F.log_softmax(s.float() / T, 1)"),
    ('bn_unbiased_var', '03_losses', "x.var(dims, unbiased=False)", "x.var(dims, unbiased=True)"),
    ('bn_squared_norm', '03_losses', "torch.linalg.vector_norm(var - mod.running_var, 2)", "torch.linalg.vector_norm(var - mod.running_var, 2) ** 2"),
    ('balance_ignores_T', '03_losses', "p = F.softmax(t.float() / T, 1).mean(0)", "p = F.softmax(t.float(), 1).mean(0)"),
    ('js_one_sided', '03_losses', "return 0.5 * kl(p) + 0.5 * kl(q)", "return 0.5 * kl(p) + 0.5 * kl(p)"),
    ('adv_ignores_T', '03_losses', "if kind == 'kl': d = kl_per_sample(s, t, T)", "if kind == 'kl': d = kl_per_sample(s, t)"),
    ('adv_mask_inverted', '03_losses', "d = d * (s.argmax(1) == t.argmax(1)).float()", "d = d * (s.argmax(1) != t.argmax(1)).float()"),
    # data-free
    ('self_paced_sign', '06_datafree', "(1 + torch.exp(losses.detach().float() - lam))", "(1 + torch.exp(losses.detach().float() + lam))"),
    ('self_paced_lam_reversed', '06_datafree', "lam = self.lam0 + (self.lam1 - self.lam0) * learn.progress",
     "lam = self.lam1 + (self.lam0 - self.lam1) * learn.progress"),
    ('self_paced_batch_unweighted', '06_datafree', "lm = l.mean(); v = self_paced_weights(lm, lam); loss = v * lm",
     "lm = l.mean(); v = self_paced_weights(lm, lam); loss = lm"),
    ('student_kl_without_T2', '06_datafree', "kl_per_sample(s, t, self.T) * self.T ** 2", "kl_per_sample(s, t, self.T)"),
    ('judge_in_train_mode', '06_datafree', "self.student.train(self.batch_stats)  # eval", "self.student.train(True)  # eval"),
    ('cudfkd_balance_T', '06_datafree', "ent=20., ent_T=20., adv=linear_ramp", "ent=20., ent_T=1., adv=linear_ramp"),
    ('cudfkd_kd_steps', '06_datafree', "kd_steps=10, batch_size=512, betas=(0.9, 0.99)", "kd_steps=5, batch_size=512, betas=(0.9, 0.99)"),
    ('generator_default_betas', '06_datafree', "self.opt = torch.optim.Adam(self.G.parameters(), lr=lr_g, betas=betas)",
     "self.opt = torch.optim.Adam(self.G.parameters(), lr=lr_g)"),
    ('generator_step_off_by_one', '06_datafree', "if self.count % self.kd_steps == 0: self.train_generator",
     "if self.count % self.kd_steps == 1: self.train_generator"),
    ('bn_hook_left_on', '06_datafree', "if self.bn_hook: self.bn_hook.enabled = False; parts['bn'] = self.bn_hook.loss()",
     "if self.bn_hook: parts['bn'] = self.bn_hook.loss()"),
    ('generator_trained_as_sampled', '06_datafree', '    def train_generator(self, progress: float):\n        self.G.train()\n',
     '    def train_generator(self, progress: float):\n'),
    ('samples_with_batch_stats', '06_datafree', 'self.G.train(self.batch_stats)\n        with self.rt.autocast(): x = self.G.sample',
     'self.G.train()\n        with self.rt.autocast(): x = self.G.sample'),
    ('adv_ramp_frozen', '06_datafree', 'w_adv = L.adv_weight(progress)', 'w_adv = L.adv_weight(0.)'),
    # replay
    ('vae_without_teacher_term', '07_replay', "return parts['rec'] + parts['t_rec'] + kl_weight * parts['kl'], parts",
     "return parts['rec'] + kl_weight * parts['kl'], parts"),
    ('vae_kl_mean_over_latents', '07_replay', "kl=(-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).sum(1).mean().float())",
     "kl=(-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).mean().float())"),
    ('vae_one_step_too_many', '07_replay', "if self.count % self.kd_steps < self.vae_steps:", "if self.count % self.kd_steps <= self.vae_steps:"),
    ('vae_no_self_rehearsal', '07_replay', "xin = half if mem is None else torch.cat([half, mem])", "xin = half"),
    ('inference_natural_log', '07_replay', "loss = (oh * onehot_loss(t) + ie * info_entropy_loss(t, base=10.)",
     "loss = (oh * onehot_loss(t) + ie * info_entropy_loss(t)"),
    ('inference_without_prior', '07_replay', "+ (z.var(0) - 1).pow(2).mean() + z.mean(0).pow(2).mean())", ")"),
    ('replay_sees_own_batch', '07_replay', "        mem = self.memory.sample(max(1, round(len(x) * self.ratio)))\n        self.memory.observe(x, learn)",
     "        self.memory.observe(x, learn)\n        mem = self.memory.sample(max(1, round(len(x) * self.ratio)))"),
    ('reservoir_biased', '07_replay', "slot = (torch.rand(len(t), dtype=torch.float64) * t).long()",
     "slot = (torch.rand(len(t), dtype=torch.float64) * self.capacity).long()"),
    ('reparam_std_is_variance', '07_replay', 'z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()', 'z = mu + torch.randn_like(mu) * logvar.exp()'),
    ('vae_kl_weight_default', '07_replay', 'kl_weight: float = 1e-5, infer_steps', 'kl_weight: float = 1e-4, infer_steps'),
    ('vae_steps_default', '07_replay', 'vae_steps: int = 4, kd_steps: int = 10', 'vae_steps: int = 2, kd_steps: int = 10'),
    ('replay_ratio_default', '07_replay', 'ratio: float = 1 / 8)', 'ratio: float = 1 / 4)'),
    ('vae_self_rehearsal_share', '07_replay', 'mem = self.sample(max(2, len(x) // 8))', 'mem = self.sample(max(2, len(x) // 4))'),
    ('bank_stores_every_batch', '07_replay', 'if (self.count - 1) % self.store_every: return', 'if False: return'),
    # regression
    ('sweep_checks_data_late', '08_regression', "for ds in datasets: load_regression(ds, train_size=train_size)   #", "for ds in datasets: pass   #"),
    ('direct_without_decay', '08_regression', "opt = EnsembleRMSprop(x, lr=self.input_lr, weight_decay=self.beta)",
     "opt = EnsembleRMSprop(x, lr=self.input_lr)"),
    ('generator_without_beta', '08_regression', "gx = gap_input_grad(T, S, x, self.gamma).add_(x, alpha=2 * self.beta)",
     "gx = gap_input_grad(T, S, x, self.gamma)"),
    ('batch_m_always_50', '08_regression', "m = m or (50 if a == 'decreasing' else 100)", "m = m or 50"),
    ('student_grad_half', '08_regression', "return S.backward(x, h, (out - t) * (2 * weight / x.shape[1]))[0]",
     "return S.backward(x, h, (out - t) * (weight / x.shape[1]))[0]"),
    ('noise_weight_1', '08_regression', "student_grad(S, xp_ep[member_seed, sl], tp_ep[member_seed, sl], 1 - av))",
     "student_grad(S, xp_ep[member_seed, sl], tp_ep[member_seed, sl], 1.))"),
    ('plateau_one_early', '08_regression', "cut = self.sched_bad > self.plateau", "cut = self.sched_bad >= self.plateau"),
    ('gamma_sign', '08_regression', "gxs = S.backward(x, hs, (diff + gamma * s) * (2 / n)", "gxs = S.backward(x, hs, (diff - gamma * s) * (2 / n)"),
    ('rmsprop_alpha_keras', '08_regression', 'alpha: float = 0.99, eps: float = 1e-8', 'alpha: float = 0.9, eps: float = 1e-8'),
    ('direct_one_step', '08_regression', 'steps: int = 2, input_lr: float = 0.1', 'steps: int = 1, input_lr: float = 0.1'),
    ('val_selection_on_test', '08_regression', 'v = rmse(S, Xv, yv)', 'v = rmse(S, Xt, yt)'),
    ('ensemble_mlp_wide_init', '08_regression', 'b1, b2 = 1 / math.sqrt(d_in), 1 / torch.tensor(hidden, dtype=torch.float32).sqrt()',
     'b1, b2 = 1., 1 / torch.tensor(hidden, dtype=torch.float32).sqrt()'),
    # online
    ('dml_not_averaged', '09_online', "for i in range(P) for j in range(P) if j != i) / (P - 1)\n            return ce + kl",
     "for i in range(P) for j in range(P) if j != i)\n            return ce + kl"),
    ('dml_T3', '09_online', "kd_loss(z[i], z[j].detach(), 1.)", "kd_loss(z[i], z[j].detach(), 3.)"),
    ('dml_target_attached', '09_online', "kd_loss(z[i], z[j].detach(), 1.)", "kd_loss(z[i], z[j], 1.)"),
    ('pcl_own_mean_teacher', '09_online', "kd_mean = sum(kd_loss(z[i], m[j], self.T) for i in range(P) for j in range(P) if j != i) / (P - 1)",
     "kd_mean = sum(kd_loss(z[i], m[i], self.T) for i in range(P))"),
    ('dkel_ensemble_includes_self', '09_online', "(m.sum(0) - m[i]) / (P - 1)", "m.mean(0)"),
    ('dkel_weights_swapped', '09_online', "kd_m = w * kd_ens + (1 - w) * kd_mean", "kd_m = (1 - w) * kd_ens + w * kd_mean"),
    ('rampup_4', '09_online', "lam * math.exp(-5 * (1 - e / (length", "lam * math.exp(-4 * (1 - e / (length"),
    ('ensemble_target_attached', '09_online', "kd_loss(z[i], z_en.detach(), self.T)", "kd_loss(z[i], z_en, self.T)"),
    ('one_view_for_all_peers', '09_online', "torch.stack([crop_flip(x, self.pad, self.flip) for _ in range(P)])",
     "torch.stack([crop_flip(x, self.pad, self.flip)] * P)"),
    ('dkel_init_lr_10', '09_online', "init_steps, lr / 100, rt)", "init_steps, lr / 10, rt)"),
    ('online_without_nesterov', '09_online', "momentum=0.9, nesterov=True, weight_decay=wd)", "momentum=0.9, weight_decay=wd)"),
    ('dkel_teacher_copies_student', '09_online',
     "mean = rt.model(MultiBranch(arch, peers, train.num_classes, train.in_channels))  # decoupled",
     "mean = copy.deepcopy(net).requires_grad_(True)  # decoupled"),
    ('ema_step_off_by_one', '09_online', "ema_update(self.mean, learn.model, learn.iter - 1, self.decay, self.schedule)",
     "ema_update(self.mean, learn.model, learn.iter, self.decay, self.schedule)"),
    ('milestones_08', '09_online', "def step_schedule(lr: float, milestones=(0.5, 0.75)", "def step_schedule(lr: float, milestones=(0.5, 0.8)"),
    ('online_metrics_in_train_mode', '09_online', 'was = net.training; net.eval()', 'was = net.training'),
    ('dkel_init_without_wd', '09_online', 'opt = torch.optim.SGD(mean.parameters(), lr=lr, weight_decay=5e-4)',
     'opt = torch.optim.SGD(mean.parameters(), lr=lr)'),
    ('peer_copies_first_branch', '09_online', '[*self.trunk, self.branches[i], self.heads[i]]', '[*self.trunk, self.branches[0], self.heads[i]]'),
    ('peer_copies_first_head', '09_online', '[*self.trunk, self.branches[i], self.heads[i]]', '[*self.trunk, self.branches[i], self.heads[0]]'),
    # projector
    ('softmax_ignores_alpha', '10_projector', "return torch.logsumexp(alpha * d.float().abs()", "return torch.logsumexp(d.float().abs()"),
    ('bn_eps_large', '10_projector', "def normalise(z: torch.Tensor, how: str = 'bn', eps: float = 1e-4)",
     "def normalise(z: torch.Tensor, how: str = 'bn', eps: float = 1e-1)"),
    ('teacher_not_normalised', '10_projector', "normalise(zp, self.norm), normalise(zt, self.norm)", "normalise(zp, self.norm), zt"),
    ('feature_weight_1', '10_projector', "T: float = 1.,\n                 w_feat: float = 2.)", "T: float = 1.,\n                 w_feat: float = 1.)"),
    ('student_features_detached', '10_projector', "zp = self.projector(zs.float())", "zp = self.projector(zs.detach().float())"),
    ('feature_spread_per_sample', '10_projector', "logs['feat_std'] = zs.detach().float().std(0).mean()",
     "logs['feat_std'] = zs.detach().float().std(1).mean()"),
    ('kd_baseline_T3', '10_projector', "'kd':                dict(kind='kd', T=4., alpha=0.9)", "'kd':                dict(kind='kd', T=3., alpha=0.9)"),
    ('l1_summed', '10_projector', "if kind == 'l1': return d.abs().mean()", "if kind == 'l1': return d.abs().sum()"),
    ('feature_l2_keeps_kl', '10_projector', "projector=True, norm='none', distance='l2', w_kl=0., w_feat=1.)",
     "projector=True, norm='none', distance='l2', w_feat=1.)"),
    ('no_norm_preset_normalises', '10_projector', "'projector_no_norm': dict(kind='feature', norm='none')",
     "'projector_no_norm': dict(kind='feature', norm='l2')"),
    ('projector_default_alpha', '10_projector', "distance: str = 'softmax', alpha: float = 4., w_ce",
     "distance: str = 'softmax', alpha: float = 2., w_ce"),
    ('projector_default_w_feat', '10_projector', 'T: float = 1.,\n                 w_feat: float = 2.)',
     'T: float = 1.,\n                 w_feat: float = 1.)'),
    # learner and data
    ('distill_ce_unweighted', '05_learner', "return self.alpha * kd + (1 - self.alpha) * ce", "return self.alpha * kd + ce"),
    ('one_cycle_from_zero', '05_learner', "if p < warmup: return peak / div + (peak - peak / div) * p / warmup",
     "if p < warmup: return peak * p / warmup"),
    ('classifier_without_nesterov', '05_learner', "opt = torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd)",
     "opt = torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)"),
    ('cosine_past_the_end', '05_learner', "return lambda p: end + (start - end) * (1 + math.cos(math.pi * min(p, 1.))) / 2",
     "return lambda p: end + (start - end) * (1 + math.cos(math.pi * p)) / 2"),
    ('cb_states_by_position', '05_learner', "for k, c in zip(keys, self.cbs):",
     "for k, c in zip(list(saved) + [None] * len(self.cbs), self.cbs):"),
    ('ramp_wrong_slope', '05_learner', "else v0 + (v1 - v0) * (p - begin) / (end - begin)", "else v0 + (v1 - v0) * (p - begin) / end"),
    ('crop_same_offsets', '01_data', "ox = torch.randint(0, 2 * pad + 1, (n,), **g).to(x.device)", "ox = oy"),
    ('flip_one_in_ten', '01_data', "m = (torch.rand(n, **g) < 0.5).to(x.device)", "m = (torch.rand(n, **g) < 0.1).to(x.device)"),
    ('train_batches_unshuffled', '01_data', "idx = torch.randperm(n, generator=self.gen) if self.train else torch.arange(n)", "idx = torch.arange(n)"),
    ('loader_not_normalising', '01_data', "yield self.rt.tensor(self.norm(x))", "yield self.rt.tensor(x)"),
    ('folder_stats_variance', '01_data', "(s2 / n - mean ** 2).clamp(min=0).sqrt()", "(s2 / n - mean ** 2).clamp(min=0)"),
    ('digits_scaled_wrong', '01_data', "np.round(d.images * (255 / 16))", "np.round(d.images * 16)"),
    ('target_not_standardised', '01_data', "y = StandardScaler().fit_transform(y[:, None])[:, 0]", "y = y - y.mean()"),
    ('validation_split_reseeded', '01_data', "Xva, Xte, yva, yte = train_test_split(Xte, yte, train_size=val_frac, random_state=seed)",
     "Xva, Xte, yva, yte = train_test_split(Xte, yte, train_size=val_frac, random_state=seed + 1)", 'tests/test_data.py'),
    ('cifar_std_misquoted', '01_data', "CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)",
     "CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)", 'tests/test_teachers.py'),
    ('generator_init_wide', '04_generators', "nn.init.normal_(m.weight, 0., 0.02)", "nn.init.normal_(m.weight, 0., 0.2)"),
    ('generator_relu', '04_generators', "nn.BatchNorm2d(co), nn.LeakyReLU(0.2, inplace=True)]", "nn.BatchNorm2d(co), nn.ReLU(inplace=True)]"),
    ('tanh_images_clipped', '04_generators', "return (torch.tanh(r).float() + 1) / 2", "return torch.tanh(r).float().clamp(0, 1)"),
    ('drop_over_whole_run', '05_learner', 'tail = accs[len(accs) // 4:]', 'tail = accs'),
    ('seconds_to_strictly_above', '05_learner', "if h['acc'] >= lv * reference", "if h['acc'] > lv * reference"),
    ('progress_ignores_budget', '05_learner', 'return max(p, self.elapsed(sync=False) / (60 * self.minutes)) if self.minutes else p', 'return p'),
    ('resume_clock_restarts', '05_learner', 'self.timer = Timer(self.rt, offset=self._time0)', 'self.timer = Timer(self.rt)'),
    ('distill_teacher_in_train_mode', '05_learner', 'self.teacher, self.T, self.alpha = teacher.eval(), T, alpha',
     'self.teacher, self.T, self.alpha = teacher, T, alpha'),
    ('label_smoothing_ignored', '05_learner', 'label_smoothing=self.ls)', 'label_smoothing=0.)'),
    ('step_decay_after_milestone', '05_learner', 'start * gamma ** sum(p >= m for m in ms)', 'start * gamma ** sum(p > m for m in ms)'),
    ('classifier_without_wd', '05_learner', 'momentum=0.9, nesterov=True, weight_decay=wd)', 'momentum=0.9, nesterov=True)'),
    ('stepstats_lr_ignored', '05_learner', "self.scaled += learn.opt.param_groups[0]['lr'] * g", 'self.scaled += g'),
    ('crop_zero_padding', '01_data', "(pad,) * 4, mode='reflect')", "(pad,) * 4, mode='constant')"),
    ('crop_offsets_short', '01_data', 'oy = torch.randint(0, 2 * pad + 1, (n,), **g)', 'oy = torch.randint(0, 2 * pad, (n,), **g)'),
    ('eval_drops_last_batch', '01_data', 'self.drop_last = train if drop_last is None else drop_last',
     'self.drop_last = True if drop_last is None else drop_last'),
    ('large_generator_narrow', '04_generators', "'large': dict(widths=(4, 2, 1), out='sigmoid')", "'large': dict(widths=(2, 2, 1), out='sigmoid')"),
    ('x_nan_accepted', '01_data', 'if not np.isfinite(X.astype(float)).all(): raise', 'if False: raise'),
    ('json_log_overwrites', '05_learner', "with open(self.path, 'a') as f: f.write(json.dumps(rec) + '\\n')",
     "with open(self.path, 'w') as f: f.write(json.dumps(rec) + '\\n')"),
    ('resume_keeps_old_iterator', '05_learner', "self.it, self.taken = None, sd['taken']", "self.taken = sd['taken']"),
    ('regression_train_size_default', '01_data', "train_size: int = 5000, # rows for training (the paper's value)",
     "train_size: int = 4000, # rows for training (the paper's value)", 'tests/test_data.py'),
    # the loop, checkpoints and the runtime's plumbing
    ('checkpoint_not_at_end', '05_learner', "or learn.stop or learn.epoch >= learn.epochs: self.save(", "or learn.stop: self.save("),
    ('nan_unchecked', '05_learner', "bad = [k for k, v in logs.items() if not math.isfinite(v)]", "bad = []"),
    ('evaluation_skips_last_epoch', '05_learner', "if learn.epoch % self.every and learn.epoch != learn.epochs: return",
     "if learn.epoch % self.every: return"),
    ('progress_one_step_ahead', '05_learner', "p = self.iter / self.total_iters", "p = (self.iter + 1) / self.total_iters"),
    ('grad_clip_ignored', '05_learner', "if self.grad_clip: nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_clip)", "pass"),
    ('resume_under_any_settings', '05_learner', "if diff := settings_diff(sd.get('settings') or {}, self.settings or {}):", "if diff := []:"),
    ('datafree_student_no_momentum', '06_datafree', "opt = torch.optim.SGD(student.parameters(), lr=m.lr, momentum=0.9, weight_decay=m.wd)",
     "opt = torch.optim.SGD(student.parameters(), lr=m.lr, weight_decay=m.wd)"),
    ('datafree_student_fixed_wd', '06_datafree', "opt = torch.optim.SGD(student.parameters(), lr=m.lr, momentum=0.9, weight_decay=m.wd)",
     "opt = torch.optim.SGD(student.parameters(), lr=m.lr, momentum=0.9, weight_decay=5e-4)"),
    ('generator_lr_unscheduled', '06_datafree', "cbs = [Scheduled(lr_setter(opt), lr), Scheduled(lr_setter(syn.opt), lr_g)]",
     "cbs = [Scheduled(lr_setter(opt), lr)]"),
    ('seed_skips_numpy', '00_core', "random.seed(seed); np.random.seed(seed % 2**32); torch.manual_seed(seed)",
     "random.seed(seed); torch.manual_seed(seed)"),
    ('torch_rng_not_restored', '00_core', "random.setstate(st['python']); np.random.set_state(st['numpy']); torch.set_rng_state(st['torch'])",
     "random.setstate(st['python']); np.random.set_state(st['numpy'])"),
    ('runtime_takes_any_model', '00_core', "if not isinstance(m, torch.nn.Module):   #", "if False:   #"),
    ('fingerprint_ignores_buffers', '00_core', "for v in m.state_dict().values() if v.is_floating_point())", "for v in m.parameters())"),
    ('settings_diff_flat', '00_core', "if isinstance(v, dict) and isinstance(old[k], dict): out += settings_diff(old[k], v, lambda s, k=k: f\"{name(k)}.{s}\")",
     "if False: pass"),
    ('bank_replays_its_start', '07_replay', "return self.bank[torch.randint(self.filled, (n,), device=self.bank.device)]", "return self.bank[:n]"),
    ('teacher_run_folder_unexplained', '02_models', "raise CheckpointMismatch(_weights_hint(Path(path)) or f", "raise CheckpointMismatch(f"),
    ('agreement_with_labels', '02_models', "res['agreement'] = (logits.argmax(1) == tc).float().mean().item()",
     "res['agreement'] = (logits.argmax(1) == y).float().mean().item()"),
    ('predict_in_train_mode', '02_models', 'was_training = model.training; model.eval()', 'was_training = model.training'),
    ('checkpoint_prefix_kept', '02_models', "k.removeprefix('module.')", 'k'),
    ('conv_init_fan_in', '02_models', "mode='fan_out', nonlinearity='relu'", "mode='fan_in', nonlinearity='relu'"),
    ('lenet_average_pool', '02_models', 'nn.AdaptiveMaxPool2d(2)', 'nn.AdaptiveAvgPool2d(2)'),
    ('wrn_shortcut_raw_input', '02_models', '(x if self.equal else self.convShortcut(a))',
     '(x if self.equal else self.convShortcut(x))', 'tests/test_teachers.py'),
    ('runtime_fp16', '00_core', 'torch.bfloat16 if amp else None', 'torch.float16 if amp else None', 'tests/test_gpu_runtime.py::test_RT_is_what_get_runtime_builds_for_cuda'),
    ('images_not_channels_last', '00_core', 'if self.channels_last and x.ndim == 4 else x', 'if self.channels_last and x.ndim == 3 else x'),
    ('commit_hides_dirty', '00_core', "return sha + ('-dirty' if git('status', '--porcelain', '--untracked-files=no') else '')", 'return sha'),
    ('percent_accuracy_accepted', '00_core', 'if v is not None and not 0 <= v <= 1: raise', 'if False: raise'),
    ('predict_leaves_eval_mode', '02_models', '    model.train(was_training)\n    return torch.cat(outs).cpu(), torch.cat(ys).cpu()',
     '    return torch.cat(outs).cpu(), torch.cat(ys).cpu()'),
    # the README's tables (benchmarks/tables.py, not a notebook's export)
    ('tables_population_std', 'benchmarks/tables.py', "from statistics import mean, stdev", "from statistics import mean, pstdev as stdev", 'tests/test_tables.py'),
    ('tables_sweeps_counted_twice', 'benchmarks/tables.py', "g = list({r.get('init_seed', 0): r for r in g}.values())", "g = list(g)", 'tests/test_tables.py'),
    ('tables_reruns_as_seeds', 'benchmarks/tables.py', "return None not in seeds and len(set(seeds)) < len(seeds)", "return False", 'tests/test_tables.py'),
    ('tables_paper_ema_own_row', 'benchmarks/tables.py', "r.get('ema') in (None, 0.999)", "r.get('ema') is None", 'tests/test_tables.py'),
    ('tables_budgets_merged', 'benchmarks/tables.py', "[dict(r, _budget=_budget(r)) for r in recs]", "[dict(r, _budget=_budget(recs[0])) for r in recs]", 'tests/test_tables.py'),
    ('tables_kd_hp_merged', 'benchmarks/tables.py', "_runs_by(recs, 'dataset', 'teacher', 'student', 'method', 'epochs', 'hp')",
     "_runs_by([dict(r, hp=None) for r in recs], 'dataset', 'teacher', 'student', 'method', 'epochs', 'hp')", 'tests/test_tables.py'),
    ('tables_cpu_gpu_pooled', 'benchmarks/tables.py', "len(r.get('seeds', [0])), r['method'], _machine(r)].append(r)", "len(r.get('seeds', [0])), r['method']].append(r)", 'tests/test_tables.py'),
    # the command line (tests/test_cli.py runs every command on the digits)
    ('cli_digits_presets_dropped', '11_cli', "over = {**(dict(DIGITS) if data == 'digits' else {}), ", "over = {**({}), ", 'tests/test_cli.py'),
    ('cli_digits_vae_kl_dropped', '11_cli', "replay_kw = {**(DIGITS_VAE if data == 'digits' else {}), ", "replay_kw = {**({}), ", 'tests/test_cli.py'),
    ('cli_reports_best_epoch', '11_cli', "last = summary.get('last_acc')", "last = summary.get('best_acc_on_eval_data')"),
    ('cli_ratio_inverted', '11_cli', "ratio=last / teacher_acc if", "ratio=teacher_acc / last if"),
    ('cli_hp_not_in_record_name', '11_cli', "budget += _hp_tag(hp)", "budget += ''", 'tests/test_cli.py'),
    ('cli_resume_guard_off', '11_cli', "    if not f.exists(): return   # a run from before settings were kept: nothing to compare",
     "    return", 'tests/test_cli.py'),
    ('cli_online_ema_ignored', '11_cli', "init_steps=init_steps, ema=ema,\n                         rt=rt", "init_steps=init_steps,\n                         rt=rt", 'tests/test_cli.py'),
    ('cli_online_saves_peer2', '11_cli', "_save_weights(learn.model.peer(0), out/f'{data}_{arch}_peer1.pt')", "_save_weights(learn.model.peer(1), out/f'{data}_{arch}_peer1.pt')", 'tests/test_cli.py'),
    ('block_relu_before_sum', '02_models', "return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))",
     "return F.relu(self.bn2(self.conv2(out))) + self.shortcut(x)", 'tests/test_teachers.py'),
    # a third round, chapter by chapter: losses, generators, core, models, the command line ...
    ('l1_logits_summed', '03_losses', "return (s.float() - t.float()).abs().mean()", "return (s.float() - t.float()).abs().sum()"),
    ('bn_hook_ignores_enabled', '03_losses', "if not self.enabled: return", "pass"),
    ('bn_stats_over_channels', '03_losses', "dims = [0] + list(range(2, x.ndim))", "dims = list(range(x.ndim))"),
    ('bn_loss_buffer_kept', '03_losses', "out, self.losses = torch.stack(self.losses).sum(), []", "out = torch.stack(self.losses).sum()"),
    ('onehot_argmin', '03_losses', "F.cross_entropy(t.float(), t.argmax(1))", "F.cross_entropy(t.float(), t.argmin(1))"),
    ('kl_per_sample_mean', '03_losses', "return (lt.exp() * (lt - ls)).sum(1)", "return (lt.exp() * (lt - ls)).mean(1)"),
    ('adv_l1_summed', '03_losses', "elif kind == 'l1': d = (s.float() - t.float()).abs().mean(1)", "elif kind == 'l1': d = (s.float() - t.float()).abs().sum(1)"),
    ('js_ignores_T', '03_losses', "p, q = F.softmax(s.float() / T, 1), F.softmax(t.float() / T, 1)", "p, q = F.softmax(s.float(), 1), F.softmax(t.float(), 1)"),
    ('bn_remove_keeps_hooks', '03_losses', "for h in self.hooks: h.remove()", "for h in self.hooks: pass"),
    ('generator_no_input_bn', '04_generators', "self.body = nn.Sequential(nn.BatchNorm2d(c0), *block(c0, c1)", "self.body = nn.Sequential(*block(c0, c1)"),
    ('generator_bn_gamma_zero', '04_generators', "nn.init.normal_(m.weight, 1., 0.02); nn.init.zeros_(m.bias)", "nn.init.normal_(m.weight, 0., 0.02); nn.init.zeros_(m.bias)"),
    ('dafl_out_bn_affine', '04_generators', "self.out_bn = nn.BatchNorm2d(nc, affine=False)", "self.out_bn = nn.BatchNorm2d(nc)"),
    ('grid_least_confident', '04_generators', "idx = idx[conf[idx].argsort(descending=True)][:per_class]", "idx = idx[conf[idx].argsort()][:per_class]"),
    ('grid_leaves_generator_eval', '04_generators', "    generator.train(was)\n", ""),
    ('cuda_not_channels_last', '00_core', "torch.bfloat16 if amp else None, channels_last=True)", "torch.bfloat16 if amp else None, channels_last=False)",
     'tests/test_gpu_runtime.py'),
    ('cudnn_benchmark_off', '00_core', "torch.backends.cudnn.benchmark = True", "torch.backends.cudnn.benchmark = False", 'tests/test_gpu_runtime.py'),
    ('cuda_index_off_by_one', '00_core', "if (dev.index or 0) >= n:", "if (dev.index or 0) > n:", 'tests/test_gpu_runtime.py'),
    ('zero_ok_ignored', '00_core', "(v >= 0 if zero_ok else v > 0)", "(v > 0)"),
    ('atomic_tmp_left', '00_core', "if os.path.exists(tmp): os.remove(tmp)", "pass"),
    ('settings_diff_new_names', '00_core', "if k not in old or old[k] == v: continue", "if old.get(k) == v: continue"),
    ('commit_env_ignored', '00_core', "if os.environ.get('DFKD_COMMIT'): return os.environ['DFKD_COMMIT']", "pass"),
    ('record_without_student_acc', '00_core', "if not ({'teacher_acc', 'student_acc'} <= rec.keys() or 'rmse' in rec)",
     "if not ({'teacher_acc'} <= rec.keys() or 'rmse' in rec)"),
    ('describe_partial_as_is', '00_core', "if inspect.isfunction(v) or isinstance(v, partial):", "if inspect.isfunction(v):"),
    ('describe_keeps_tuples', '00_core', "if isinstance(v, (list, tuple)): return", "if isinstance(v, list): return"),
    ('check_types_partial_union', '00_core', "any(t not in _KINDS for t in kinds)", "all(t not in _KINDS for t in kinds)"),
    ('linear_bias_not_zeroed', '02_models', "elif isinstance(mod, nn.Linear) and mod.bias is not None: nn.init.zeros_(mod.bias)",
     "elif isinstance(mod, nn.Linear) and mod.bias is not None: pass"),
    ('resnet_first_stage_strided', '02_models', "(1 if i == 0 else 2) if j == 0 else 1", "2 if j == 0 else 1"),
    ('guess_classes_from_first_linear', '02_models', "(lin[-1].shape[0] if lin else 10)", "(lin[0].shape[0] if lin else 10)"),
    ('teacher_loaded_training', '02_models', "return rt.model(model).eval()", "return rt.model(model)"),
    ('wrn_final_bn_skipped', '02_models', "return F.adaptive_avg_pool2d(self.relu(self.bn1(x)), 1).flatten(1)",
     "return F.adaptive_avg_pool2d(self.relu(x), 1).flatten(1)", 'tests/test_teachers.py'),
    ('cli_help_percent_raw', '11_cli', "help = ann.help.replace('%', '%%')", "help = ann.help", 'tests/test_cli.py::test_help_lists_commands'),
    ('cli_log_keeps_first', '11_cli', "by_epoch[r['epoch']] = r", "by_epoch.setdefault(r['epoch'], r)"),
    ('cli_online_ema_untagged', '11_cli', "tag = '' if ema == PAPER_EMA else f'_ema{ema:g}'", "tag = ''", 'tests/test_cli.py::test_online_dkel_digits_record'),
    ('cli_regress_reuses_jobs', '11_cli', "if not resume and (out/'jobs').exists(): shutil.rmtree(out/'jobs')", "pass",
     'tests/test_cli.py::test_regress_on_a_user_folder'),
    ('cli_speed_per_epoch', '11_cli', "images_per_second=round(learn.iter * bs", "images_per_second=round(learn.epoch * bs",
     'tests/test_cli.py::test_train_teacher_writes_a_valid_benchmark_record'),
    ('cli_eval_subset_ignored', '11_cli', "if per_class: te = per_class_subset(te, per_class)", "pass", 'tests/test_cli.py::test_eval_teacher_subset'),
    ('cli_bool_words', '11_cli', "if s.lower() in ('1', 'true', 'yes', 'on'): return True", "if s.lower() in ('1', 'true'): return True"),
    ('cli_bool_needs_value', '11_cli', "type=_bool, nargs='?', const=True,", "type=_bool,"),
    # ... data, the loop, regression
    ('folder_crop_pad_quarter', '01_data', "crop_pad=max(1, x.shape[-1] // 8))", "crop_pad=max(1, x.shape[-1] // 4))"),
    ('folder_stats_from_split', '01_data', "mean, std = _channel_stats(xb)", "mean, std = _channel_stats(x)"),
    ('folder_constant_channel_divides', '01_data', "std = tuple(s or 1.0 for s in std)", "pass"),
    ('folder_one_class_accepted', '01_data', "if len(classes) < 2: raise", "if False: raise"),
    ('folder_warns_before_error', '01_data', "if not has_train and split != 'train':", "if not has_train:"),
    ('loader_seed_ignored', '01_data', "self.gen = torch.Generator().manual_seed(seed)", "self.gen = torch.Generator().manual_seed(0)"),
    ('eval_loader_augments', '01_data', "self.augment = train if augment is None else augment", "self.augment = True if augment is None else augment"),
    ('regression_x_raw', '01_data', "X = StandardScaler().fit_transform(X); y =", "y ="),
    ('labels_count_unchecked', '01_data', "if len(self.x) != len(self.y): raise", "if False: raise"),
    ('float_labels_accepted', '01_data', "if self.y.is_floating_point(): raise", "if False: raise"),
    ('zero_std_accepted', '01_data', "or min(self.std) <= 0:", "or min(self.std) < 0:"),
    ('normalize_inverse_wrong', '01_data', "def inverse(self, x): return x * self.std + self.mean", "def inverse(self, x): return (x + self.mean) * self.std"),
    ('digits_unstratified', '01_data', "random_state=seed, stratify=d.target)", "random_state=seed)"),
    ('digits_flipped', '01_data', "crop_pad=1, flip=False)", "crop_pad=1, flip=True)"),
    ('metrics_not_shared', '05_learner', "self.history.append(r); learn.metrics = r", "self.history.append(r)"),
    ('gradients_accumulate', '05_learner', "self.opt.zero_grad(set_to_none=True)", "pass"),
    ('budget_stops_only_the_epoch', '05_learner', "self.stop = True; break", "break"),
    ('resume_rng_not_restored', '05_learner', "set_rng_state(sd['rng'])", "pass"),
    ('resume_parts_not_loaded', '05_learner', "for k, v in self.parts.items(): v.load_state_dict(sd['parts'][k])", "pass"),
    ('kd_settings_not_guarded', '05_learner', "if objective is None and teacher is not None: own.update(T=T, alpha=alpha)", "pass"),
    ('parts_not_optimised', '05_learner', "params = [*model.parameters(), *(p for m in parts.values() for p in m.parameters())]",
     "params = [*model.parameters()]"),
    ('teacher_patience_off_by_one', '08_regression', "self.active &= self.stale <= self.patience", "self.active &= self.stale < self.patience"),
    ('plateau_sees_improving_epochs', '08_regression', "seen_best = worse & (val < self.sched_best * (1 - 1e-4))",
     "seen_best = (val < self.sched_best * (1 - 1e-4))"),
    ('patience_always_reset', '08_regression', "self.stale = torch.where(better & self.reset, 0,", "self.stale = torch.where(better, 0,"),
    ('teacher_keeps_last_weights', '08_regression', "    T.flat.data.copy_(best_flat)\n", "    pass\n"),
    ('teacher_batches_unshuffled', '08_regression', "X, y = data.X_train[ar, perm], data.y_train[ar, perm]", "X, y = data.X_train, data.y_train"),
    ('module_teacher_follows_mode', '08_regression', "def train(self, mode: bool = True): return super().train(False)",
     "def train(self, mode: bool = True): return super().train(mode)"),
    ('sweep_cache_any_settings', '08_regression', "if (folder/'settings.json').exists() and json.loads((folder/'settings.json').read_text()) != settings:",
     "if False:", 'tests/test_regression.py::test_interrupted_sweep_resumes'),
    ('rmse_std_population', '08_regression', "/ max(len(v) - 1, 1)) ** 0.5", "/ len(v)) ** 0.5"),
    # ... data-free presets and plumbing
    ('dfad_masked', '06_datafree', "adv=1., adv_kind='l1', adv_mask=False)", "adv=1., adv_kind='l1', adv_mask=True)"),
    ('dfad_kd_steps_1', '06_datafree', "student_loss='l1', kd_steps=5, batch_stats=True", "student_loss='l1', kd_steps=1, batch_stats=True"),
    ('dafl_act_weight', '06_datafree', "ent_base=10., act=0.01)", "ent_base=10., act=0.1)"),
    ('dafl_lr_g', '06_datafree', "kd_steps=1, lr_g=0.02, batch_stats=True", "kd_steps=1, lr_g=0.2, batch_stats=True"),
    ('dfq_without_adversary', '06_datafree', "SynthesisLoss(bn=1., oh=1., ent=20., adv=1., adv_kind='kl')", "SynthesisLoss(bn=1., oh=1., ent=20., adv=0., adv_kind='kl')"),
    ('cudfkd_wrn_adv_from_zero', '06_datafree', "adv_start=0.5, adv_max=25.5", "adv_start=0., adv_max=25.5"),
    ('cudfkd_default_wd', '06_datafree', "betas=(0.9, 0.99), wd=1e-4)", "betas=(0.9, 0.99))"),
    ('teacher_weights_trainable', '06_datafree', "teacher.eval().requires_grad_(False), student", "teacher.eval(), student"),
    ('synth_count_not_restored', '06_datafree', "self.count = sd['count']", "self.count = 0"),
    ('student_l1_summed', '06_datafree', "return (s.float() - t.float()).abs().mean(1) if self.kind == 'l1'", "return (s.float() - t.float()).abs().sum(1) if self.kind == 'l1'"),
    ('self_paced_unclamped', '06_datafree', "/ (1 + torch.exp(losses.detach().float() - lam))).clamp(max=1.)", "/ (1 + torch.exp(losses.detach().float() - lam)))"),
    ('datafree_eval_every_ignored', '06_datafree', "teacher_classes, every=eval_every))", "teacher_classes))"),
    # ... replay, online, projector, and three more for the command line
    ('encoder_logvar_unclamped', '07_replay', "return self.mu(h), self.logvar(h).clamp(-10, 10)", "return self.mu(h), self.logvar(h)"),
    ('inference_decoder_training', '07_replay', "was = decoder.training; decoder.eval()", "was = decoder.training"),
    ('vae_trains_on_whole_batch', '07_replay', "half = x[: max(2, len(x) // 2)]", "half = x"),
    ('balance_over_seen_classes', '07_replay', "-(h * h.log()).sum().item() / math.log(k)", "-(h * h.log()).sum().item() / math.log(max(len(h), 2))"),
    ('online_T_default_1', '09_online', "mean: nn.Module|None = None, T: float = 3.,", "mean: nn.Module|None = None, T: float = 1.,"),
    ('online_views_ignore_data', '09_online', "pad=train.crop_pad, flip=train.flip)", "pad=4, flip=True)"),
    ('ensemble_head_untrained', '09_online', "loss = F.cross_entropy(z_en, y) + ce", "loss = ce"),
    ('peer_average_of_logits', '09_online', "A.append(z.float().softmax(2).mean(0).argmax(1))", "A.append(z.float().mean(0).argmax(1))"),
    ('disagreement_per_peer', '09_online', "/ (P * (P - 1) / 2)", "/ P"),
    ('untrained_head_reported', '09_online', "OnlineEvaluate(test, mean, head=peer_teachers)", "OnlineEvaluate(test, mean)"),
    ('online_loader_augments', '09_online', "seed=seed, augment=False)  # views", "seed=seed, augment=True)  # views"),
    ('online_resume_any_ema', '09_online', "init_steps=init_steps, ema=ema, seed=seed)", "init_steps=init_steps, seed=seed)"),
    ('dkel_teacher_not_frozen', '09_online', "    mean.requires_grad_(False)\n", "    pass\n"),
    ('offline_resume_any_objective', '10_projector', "settings=dict(objective=objective, **objective_config(objective, **overrides)))",
     "settings=dict(objective=objective))"),
    ('projector_not_a_part', '10_projector', "return obj, {'projector': obj.projector}", "return obj, {}"),
    ('cli_resume_other_seed', '11_cli', "'eval_every', 'data_root')   # may change", "'eval_every', 'data_root', 'seed')   # may change",
     'tests/test_cli.py::test_resume_under_other_settings_is_refused'),
    ('cli_wd_not_checked_first', '11_cli', "AT_LEAST_0 = ('init_steps', 'per_class', 'wd')", "AT_LEAST_0 = ('init_steps', 'per_class')",
     'tests/test_cli.py::test_bad_numbers_and_settings_are_refused_first'),
    ('cli_batch_size_ignored', '11_cli', "**({'batch_size': batch_size} if batch_size else {})", "**({})",
     'tests/test_cli.py::test_distill_no_eval_reads_no_images'),
    # fourth round: the projector objective's own weights and checks, the feature-gap fit, the command line's compare
    # and file-name helpers
    ('featkd_ignores_alpha', '10_projector', "normalise(zt, self.norm), self.distance, self.alpha)", "normalise(zt, self.norm), self.distance)"),
    ('featkd_ignores_T', '10_projector', "logs['kl'] = kd_loss(s, t, self.T)", "logs['kl'] = kd_loss(s, t)"),
    ('featkd_w_ce_ignored', '10_projector', "loss = loss + self.w_ce * logs['ce']", "loss = loss + logs['ce']"),
    ('featkd_w_kl_ignored', '10_projector', "loss = loss + self.w_kl * logs['kl']", "loss = loss + logs['kl']"),
    ('featkd_norm_ignored', '10_projector', "normalise(zp, self.norm), normalise(zt, self.norm)", "normalise(zp), normalise(zt)"),
    ('featkd_alpha_unchecked', '10_projector', "check_positive(alpha=alpha, T=T)", "check_positive(T=T)"),
    ('feature_gaps_fit_on_test', '10_projector', "lstsq(feats(student, fit).double(), feats(teacher, fit)[:, :-1]",
     "lstsq(feats(student, test).double(), feats(teacher, test)[:, :-1]"),
    ('feature_gaps_no_bias', '10_projector', "return torch.cat([z, torch.ones(len(z), 1, device=z.device)], 1)",
     "return torch.cat([z, torch.zeros(len(z), 1, device=z.device)], 1)"),
    ('compare_same_names_merged', '11_cli', "name = src.name if src.name not in curves else str(src)", "name = src.name"),
    ('compare_blank_line_fails', '11_cli', "        if not line.strip(): continue\n        try: r = json.loads(line)",
     "        try: r = json.loads(line)"),
    ('compare_no_teacher_line', '11_cli', "teacher.pop() if key == 'acc' and len(teacher) == 1 else None", "None"),
    ('hp_tag_unsanitised', '11_cli', "return '_' + re.sub(r'[^\\w.=-]+', '-', hp) if hp else ''", "return '_' + hp if hp else ''"),
    ('folder_tag_keeps_suffix', '11_cli', "return name if name in DATASETS else Path(name).stem", "return name if name in DATASETS else Path(name).name",
     'tests/test_cli.py::test_own_imagefolder_dataset_end_to_end'),
    # ... and the sample grid's teacher and counts
    ('grid_teacher_training_mode', '04_generators', "was = generator.training; generator.eval(); teacher.eval()", "was = generator.training; generator.eval()"),
    ('grid_counts_short', '04_generators', "counts = torch.bincount(pred, minlength=k)", "counts = torch.bincount(pred)"),
    # ... and replay's memory size and resume
    ('vae_megabytes_decoder_only', '07_replay', "return _mb(self.vae.decoder.state_dict().values()) + _mb(self.vae.encoder.state_dict().values())",
     "return _mb(self.vae.decoder.state_dict().values())"),
    ('vae_updates_not_restored', '07_replay', "self.count, self.updates = sd['count'], sd['updates']", "self.count = sd['count']"),
    ('bank_seen_not_restored', '07_replay', "self.seen, self.count = sd['seen'], sd['count']", "self.count = sd['count']"),
    ('replay_seen_not_restored', '07_replay', "self.seen, self.sample_bytes = sd.get('seen', 0), sd.get('sample_bytes', 0)", "pass"),
    # the inner loop's GPU habits, checked on the CPU by tests/test_inner_loop.py
    ('self_paced_reads_loss', '06_datafree', "return ((1 + math.exp(-lam)) / (1 + torch.exp(",
     "return float(losses.max() < 1e30) * ((1 + math.exp(-lam)) / (1 + torch.exp(", 'tests/test_inner_loop.py'),
    ('losses_read_every_step', '05_learner', "if self.iter % self.log_every == 0: self._check()", "self._check()",
     'tests/test_inner_loop.py'),
    ('generator_input_out_of_layout', '04_generators',
     "if first_conv.weight.is_contiguous(memory_format=torch.channels_last): x = x.contiguous(memory_format=torch.channels_last)",
     "pass", 'tests/test_inner_loop.py'),
    ('generator_step_grads_student', '06_datafree', "total.backward(inputs=list(self.G.parameters()))", "total.backward()",
     'tests/test_inner_loop.py'),
    ('checkpoint_shares_live_tensors', '05_learner', "if torch.is_tensor(obj): return obj.detach().to('cpu', copy=True)",
     "if torch.is_tensor(obj): return obj.detach()"),
    ('checkpoint_end_not_waited', '05_learner', "    def after_fit(self, learn): self.wait()", "    def after_fit(self, learn): pass"),
    ('vae_update_outside_autocast', '07_replay', "with self.rt.autocast(): loss, parts = vae_loss(self.vae, self.teacher, xin, self.kl_weight)",
     "loss, parts = vae_loss(self.vae, self.teacher, xin, self.kl_weight)", 'tests/test_inner_loop.py'),
    # stopping at a signal and continuing in mid-epoch
    ('signal_not_deferred', '05_learner', "old = {s: signal.signal(s, note) for s in signums if signal.getsignal(s) != signal.SIG_IGN}",
     "old = {}"),
    ('interrupt_not_saved', '05_learner', "def after_interrupt(self, learn): self.save(learn.state_dict()); self.wait()",
     "def after_interrupt(self, learn): pass", 'tests/test_cli.py'),
    ('resume_restarts_the_epoch', '05_learner', "self.epoch_step = sd.get('epoch_step', 0)", "self.epoch_step = 0"),
    ('resume_drops_epoch_losses', '05_learner', "self._sums = {k: v.to(self.rt.device) for k, v in sd.get('epoch_sums', {}).items()}",
     "self._sums = {}", 'tests/test_cli.py'),
    ('pass_resumed_from_its_end', '05_learner', "return dict(loader=self.start, taken=self.taken)",
     "return dict(loader=self._loader_state(), taken=self.taken)"),
    ('pass_resumed_from_its_start', '01_data', "for i in range(start, len(self)):", "for i in range(len(self)):"),
    ('ignored_signal_noted', '05_learner', "for s in signums if signal.getsignal(s) != signal.SIG_IGN}", "for s in signums}"),
    ('ctrl_c_unexplained', '11_cli', "    except KeyboardInterrupt:   # a second Ctrl-C", "    except ZeroDivisionError:   # a second Ctrl-C",
     'tests/test_cli.py'),
    ('stepstats_epoch_restarted', '05_learner', "if self._epoch:   # resumed in mid-epoch", "if False:   # resumed in mid-epoch",
     'tests/test_cli.py'),
]

def module_of(nb: Path) -> Path:
    "The module a notebook exports to, relative to the repository root."
    src = ''.join(''.join(c['source']) + '\n' for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code')
    m = re.search(r'#\|\s*default_exp\s+(\S+)', src)
    return Path('dfkd_nb')/f"{m.group(1).replace('.', '/')}.py"

def replace_once(text: str, old: str, new: str, where: str) -> str:
    if text.count(old) != 1: raise SystemExit(f"{where}: the text to mutate occurs {text.count(old)} times, not once:\n{old}")
    return text.replace(old, new)

def mutate_notebook(path: Path, old: str, new: str):
    nb = json.loads(path.read_text())
    cells = [c for c in nb['cells'] if old in ''.join(c['source'])]
    if len(cells) != 1: raise SystemExit(f"{path.name}: the text to mutate is in {len(cells)} cells, not one:\n{old}")
    cells[0]['source'] = replace_once(''.join(cells[0]['source']), old, new, path.name).splitlines(keepends=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

def main(argv):
    if '--list' in argv: print('\n'.join(m[0] for m in MUTATIONS)); return 0
    chosen = [m for m in MUTATIONS if not argv or m[0] in argv]
    if unknown := set(argv) - {m[0] for m in MUTATIONS}: raise SystemExit(f"unknown mutations {sorted(unknown)}; --list names them")
    venv = ROOT/'.venv'/'bin'
    if not (venv/'nbdev_test').exists(): raise SystemExit("no .venv with nbdev: run `make test` once first")
    checked = ['nbs', 'dfkd_nb', 'benchmarks', 'tests']   # what is mutated, and the tests that judge it
    if subprocess.run(['git', 'status', '--porcelain', *checked], cwd=ROOT, capture_output=True, text=True).stdout.strip():
        print(f"note: uncommitted changes under {', '.join(checked)} are not checked; the scratch clone is of HEAD", file=sys.stderr)
    survived, pytest = [], ['python', '-m', 'pytest', '-q', '-x', '-p', 'no:cacheprovider']
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)/'repo'
        subprocess.run(['git', 'clone', '-q', str(ROOT), str(work)], check=True)
        if (ROOT.parent/'shared').exists(): (Path(tmp)/'shared').symlink_to(ROOT.parent/'shared')   # data and teachers, as ../shared
        env = dict(os.environ, PYTHONPATH=str(work), PATH=f"{venv}:{os.environ['PATH']}", MPLBACKEND='Agg', PYTHONHASHSEED='0')
        for name, nb, old, new, *tests in chosen:
            subprocess.run(['git', 'checkout', '-q', '--', '.'], cwd=work, check=True)
            plain, nbp = nb.endswith('.py'), work/'nbs'/f'{nb}.ipynb'   # plain: a file of its own, not a notebook's export
            mod = Path(nb) if plain else module_of(nbp)
            if not plain: mutate_notebook(nbp, old, new)
            (work/mod).write_text(replace_once((work/mod).read_text(), old, new, mod.name))
            t0, verdict = time.time(), 'SURVIVED'
            notebook = [] if plain else [('the notebook', ['nbdev_test', '--path', f'nbs/{nb}.ipynb'])]
            stages = [('the doctests', pytest + ['--doctest-modules', str(mod)]), *notebook, *[(t, pytest + [t]) for t in tests]]
            for label, cmd in stages:
                rc = subprocess.run(cmd, cwd=work, env=env, capture_output=True).returncode
                if rc not in (0, 5): verdict = f'caught by {label}'; break   # pytest's 5: no tests there (a file without doctests)
            print(f"{name:32s} {verdict} ({time.time() - t0:.0f} s)", flush=True)
            if verdict == 'SURVIVED': survived.append(name)
    print(f"{len(chosen) - len(survived)} of {len(chosen)} mutations caught" + (f"; survived: {', '.join(survived)}" if survived else ''))
    return 1 if survived else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
