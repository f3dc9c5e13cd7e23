<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Tout enregistrer</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Oui</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Oui à &amp;tout</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Non</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>N&amp;on à tout</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Ne pas enregistrer</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Réinitialiser</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Restaurer les valeurs par défaut</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>MaskSup Studio: train segmentation networks with Masked Supervised Learning.

Opens DATASET_DIR when given (a Kvasir-SEG style folder with images/ and masks/, or a folder of NNNNNN.png + NNNNNN_mask.png pairs). Otherwise the last dataset is opened, and on the very first start a small sample dataset of gland images is generated and opened.</source>
        <translation>MaskSup Studio&#xa0;: entraîner des réseaux de segmentation par apprentissage supervisé masqué (Masked Supervised Learning).

Ouvre DATASET_DIR s&apos;il est donné (un dossier de type Kvasir-SEG avec images/ et masks/, ou un dossier de paires NNNNNN.png + NNNNNN_mask.png). Sinon, le dernier jeu de données est rouvert ; au tout premier démarrage, un petit jeu de données d&apos;exemple d&apos;images de glandes est généré puis ouvert.</translation>
    </message>
    <message>
        <source>Dataset folder to open.</source>
        <translation>Dossier du jeu de données à ouvrir.</translation>
    </message>
    <message>
        <source>Give at most one dataset folder. See --help.</source>
        <translation>Indiquez au plus un dossier de jeu de données. Voir --help.</translation>
    </message>
    <message>
        <source>Save the window to FILE once ready, then quit.</source>
        <translation>Enregistrer la fenêtre dans FILE une fois prête, puis quitter.</translation>
    </message>
    <message>
        <source>Tab shown in the screenshot.</source>
        <translation>Onglet montré sur la capture d&apos;écran.</translation>
    </message>
    <message>
        <source>Train a tiny model for EPOCHS epochs before the screenshot.</source>
        <translation>Entraîner un tout petit modèle pendant EPOCHS époques avant la capture d&apos;écran.</translation>
    </message>
    <message>
        <source>Interface language: fr (French) or en (English). Default: the one chosen in Settings &gt; Language, else the system&apos;s.</source>
        <translation>Langue de l&apos;interface&#xa0;: fr (français) ou en (anglais). Par défaut&#xa0;: celle choisie dans Paramètres &gt; Langue, sinon celle du système.</translation>
    </message>
</context>
<context>
    <name>msup::TrainSetting</name>
    <message>
        <source>Preset</source>
        <translation>Préréglage</translation>
    </message>
    <message>
        <source>Start from a preset of the paper&apos;s settings (&apos;masksup presets&apos; lists them); the other settings override its values.</source>
        <translation>Partir d&apos;un préréglage des réglages de l&apos;article (&apos;masksup presets&apos; les liste)&#xa0;; les autres réglages remplacent ses valeurs.</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Dataset folder (or NYUDv2 .mat file).</source>
        <translation>Dossier du jeu de données (ou fichier .mat NYUDv2).</translation>
    </message>
    <message>
        <source>Dataset format</source>
        <translation>Format du jeu de données</translation>
    </message>
    <message>
        <source>Dataset format: auto (detect), %1.</source>
        <translation>Format du jeu de données&#xa0;: auto (détection), %1.</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>Dossier de l&apos;entraînement</translation>
    </message>
    <message>
        <source>Run folder (the run&apos;s settings, metrics and checkpoints/).</source>
        <translation>Dossier de l&apos;entraînement (ses réglages, ses métriques et checkpoints/).</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Architecture: unet, unetpp (U-Net++ without deep supervision, the paper&apos;s NYUDv2 model), levit128s, levit192 or levit384 (LeViT-UNet, the paper&apos;s GLaS and polyp model; 224²).</source>
        <translation>Architecture&#xa0;: unet, unetpp (U-Net++ sans supervision profonde, le modèle NYUDv2 de l&apos;article), levit128s, levit192 ou levit384 (LeViT-UNet, le modèle GLaS et polypes de l&apos;article&#xa0;; 224²).</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Largeur</translation>
    </message>
    <message>
        <source>Base channel width of unet/unetpp (widths are W·[1,2,4,8,16]).</source>
        <translation>Largeur de base des canaux de unet/unetpp (largeurs W·[1,2,4,8,16]).</translation>
    </message>
    <message>
        <source>ReLU on the logits</source>
        <translation>ReLU sur les logits</translation>
    </message>
    <message>
        <source>The reference NestedUNet&apos;s ReLU on the logits (unetpp only; set for weights imported from the reference code).</source>
        <translation>La ReLU du NestedUNet de référence sur les logits (unetpp uniquement&#xa0;; pour des poids importés du code de référence).</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>baseline (L_seg), context (+ masked branch) or masksup (+ task similarity).</source>
        <translation>baseline (L_seg), context (+ branche masquée) ou masksup (+ similarité des tâches).</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>Branches</translation>
    </message>
    <message>
        <source>separate: clean and masked branches as two forward passes (the reference code; each has its own BatchNorm batch statistics); concat: one pass over the concatenated batch (shared statistics; faster on GPUs).</source>
        <translation>separate&#xa0;: branches propre et masquée en deux passes avant (le code de référence&#xa0;; chacune a ses propres statistiques BatchNorm)&#xa0;; concat&#xa0;: une passe sur le lot concaténé (statistiques partagées&#xa0;; plus rapide sur GPU).</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <source>Number of epochs (when resuming: the new total).</source>
        <translation>Nombre d&apos;époques (à la reprise&#xa0;: le nouveau total).</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <source>Images per batch and process (a step takes batch size × processes images).</source>
        <translation>Images par lot et par processus (une étape prend taille de lot × processus images).</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>Taille d&apos;image</translation>
    </message>
    <message>
        <source>Training side in pixels (multiple of 16).</source>
        <translation>Côté d&apos;entraînement en pixels (multiple de 16).</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Périphérique</translation>
    </message>
    <message>
        <source>auto (CUDA when present, else all CPU cores), cpu, cuda or cuda:N.</source>
        <translation>auto (CUDA si présent, sinon tous les cœurs du processeur), cpu, cuda ou cuda:N.</translation>
    </message>
    <message>
        <source>Mixed precision</source>
        <translation>Précision mixte</translation>
    </message>
    <message>
        <source>Mixed precision: auto = bf16 autocast on GPUs that support it (no gradient scaler), fp16 autocast + gradient scaler on other CUDA GPUs, off (float32) on the CPU; bf16 or fp16 force one (CUDA only); off = float32 everywhere. &apos;on&apos;, written by older versions, is read as auto. The run&apos;s config records the precision used under &quot;precision&quot;.</source>
        <translation>Précision mixte&#xa0;: auto = autocast bf16 sur les GPU qui le gèrent (sans mise à l&apos;échelle du gradient), autocast fp16 + mise à l&apos;échelle du gradient sur les autres GPU CUDA, désactivée (float32) sur le processeur&#xa0;; bf16 ou fp16 en imposent une (CUDA uniquement)&#xa0;; off = float32 partout. &apos;on&apos;, écrit par des versions plus anciennes, est lu comme auto. La configuration de l&apos;entraînement note la précision utilisée sous &quot;precision&quot;.</translation>
    </message>
    <message>
        <source>Channels-last memory layout (CUDA)</source>
        <translation>Disposition channels-last (CUDA)</translation>
    </message>
    <message>
        <source>Run the network in channels-last (NHWC) memory layout, often faster on CUDA GPUs with tensor cores (off by default; may be changed when resuming).</source>
        <translation>Exécuter le réseau en disposition mémoire channels-last (NHWC), souvent plus rapide sur les GPU CUDA à cœurs tensoriels (désactivé par défaut&#xa0;; modifiable à la reprise).</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <source>Seed of weights, split, shuffling and masks.</source>
        <translation>Graine des poids, de la répartition, du mélange et des masques.</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <source>adam (with AMSGrad when set) or sgd (with momentum).</source>
        <translation>adam (avec AMSGrad si coché) ou sgd (avec moment).</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Taux d&apos;apprentissage</translation>
    </message>
    <message>
        <source>Learning rate.</source>
        <translation>Taux d&apos;apprentissage.</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Décroissance des poids</translation>
    </message>
    <message>
        <source>Weight decay.</source>
        <translation>Décroissance des poids.</translation>
    </message>
    <message>
        <source>AMSGrad</source>
        <translation>AMSGrad</translation>
    </message>
    <message>
        <source>The AMSGrad variant of Adam (adam only).</source>
        <translation>La variante AMSGrad d&apos;Adam (adam uniquement).</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>Moment</translation>
    </message>
    <message>
        <source>SGD momentum (sgd only).</source>
        <translation>Moment de SGD (sgd uniquement).</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>Programme du taux d&apos;apprentissage</translation>
    </message>
    <message>
        <source>constant, or step: multiply the learning rate by the step factor every step epochs.</source>
        <translation>constant, ou step&#xa0;: multiplier le taux d&apos;apprentissage par le facteur de palier toutes les N époques.</translation>
    </message>
    <message>
        <source>Step every (epochs)</source>
        <translation>Palier toutes les (époques)</translation>
    </message>
    <message>
        <source>Epochs between two steps of the step schedule.</source>
        <translation>Époques entre deux paliers du programme step.</translation>
    </message>
    <message>
        <source>Step factor</source>
        <translation>Facteur de palier</translation>
    </message>
    <message>
        <source>The step schedule&apos;s factor (e.g. 0.1).</source>
        <translation>Le facteur du programme step (par ex. 0,1).</translation>
    </message>
    <message>
        <source>Weight α1 (segmentation)</source>
        <translation>Poids α1 (segmentation)</translation>
    </message>
    <message>
        <source>Loss weight of the segmentation term (0 turns it off).</source>
        <translation>Poids du terme de segmentation dans la perte (0 le désactive).</translation>
    </message>
    <message>
        <source>Weight α2 (context)</source>
        <translation>Poids α2 (contexte)</translation>
    </message>
    <message>
        <source>Loss weight of the masked (context) branch (0 turns it off).</source>
        <translation>Poids de la branche masquée (contexte) dans la perte (0 la désactive).</translation>
    </message>
    <message>
        <source>Weight α3 (task similarity)</source>
        <translation>Poids α3 (similarité des tâches)</translation>
    </message>
    <message>
        <source>Loss weight of the task similarity term (0 turns it off).</source>
        <translation>Poids du terme de similarité des tâches dans la perte (0 le désactive).</translation>
    </message>
    <message>
        <source>Hole ratio</source>
        <translation>Proportion de trous</translation>
    </message>
    <message>
        <source>Share of pixels the masks remove: high (50–60 %), low (1–10 %) or A-B, e.g. 0.2-0.3.</source>
        <translation>Part des pixels que les masques retirent&#xa0;: high (50–60 %), low (1–10 %) ou A-B, par ex. 0.2-0.3.</translation>
    </message>
    <message>
        <source>Mask folder</source>
        <translation>Dossier de masques</translation>
    </message>
    <message>
        <source>Sample the context branch&apos;s masks from this folder of mask images (white = hole, e.g. the NVIDIA irregular masks), keeping those whose hole ratio is in the hole ratio interval, instead of generating them.</source>
        <translation>Tirer les masques de la branche de contexte de ce dossier d&apos;images de masques (blanc = trou, par ex. les masques irréguliers NVIDIA), en gardant ceux dont la proportion de trous est dans l&apos;intervalle, au lieu de les générer.</translation>
    </message>
    <message>
        <source>Hole fill</source>
        <translation>Remplissage des trous</translation>
    </message>
    <message>
        <source>What hidden pixels become: zero (mid-grey after normalisation, as in the paper), black or noise (seeded).</source>
        <translation>Ce que deviennent les pixels cachés&#xa0;: zero (gris moyen après normalisation, comme dans l&apos;article), black (noir) ou noise (bruit, avec graine).</translation>
    </message>
    <message>
        <source>Validation fraction</source>
        <translation>Part de validation</translation>
    </message>
    <message>
        <source>Share of pairs held out for validation.</source>
        <translation>Part des paires réservées à la validation.</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Augmentation</translation>
    </message>
    <message>
        <source>Training augmentations: none, all, or a list of flip, rot90, scale, color (seeded).</source>
        <translation>Augmentations d&apos;entraînement&#xa0;: none, all, ou une liste parmi flip, rot90, scale, color (avec graine).</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>Fils du processeur</translation>
    </message>
    <message>
        <source>CPU threads (0 = all cores), shared by the processes of a local launch.</source>
        <translation>Fils du processeur (0 = tous les cœurs), partagés entre les processus d’un lancement local.</translation>
    </message>
    <message>
        <source>Processes (GPUs with CUDA)</source>
        <translation>Processus (GPU avec CUDA)</translation>
    </message>
    <message>
        <source>Data-parallel training on N local processes (c10d: Gloo on the CPU, NCCL with one GPU each on CUDA); 1 = one process. May change when resuming: a step keeps its number of images.</source>
        <translation>Entraînement parallèle sur N processus locaux (c10d : Gloo sur le processeur, NCCL avec un GPU chacun sous CUDA) ; 1 = un seul processus. Modifiable à la reprise : une étape garde son nombre d’images.</translation>
    </message>
    <message>
        <source>Process timeout (s)</source>
        <translation>Délai d’attente des processus (s)</translation>
    </message>
    <message>
        <source>Seconds a process of a distributed run waits for the others before it stops, naming the one that does not answer.</source>
        <translation>Secondes pendant lesquelles un processus d’un entraînement réparti attend les autres avant de s’arrêter en nommant celui qui ne répond pas.</translation>
    </message>
    <message>
        <source>BatchNorm</source>
        <translation>BatchNorm</translation>
    </message>
    <message>
        <source>batch: normalise with each batch&apos;s statistics and update the running ones (with several processes each uses its own batch, as PyTorch&apos;s DDP; the running statistics are averaged after each step); frozen: use the running statistics and keep them (fine-tuning with small batches; images do not influence each other).</source>
        <translation>batch : normaliser avec les statistiques de chaque lot et mettre à jour les statistiques courantes (avec plusieurs processus, chacun utilise son propre lot, comme le DDP de PyTorch ; les statistiques courantes sont moyennées après chaque étape) ; frozen : utiliser les statistiques courantes sans les modifier (ajustement fin avec de petits lots ; les images ne s’influencent pas).</translation>
    </message>
    <message>
        <source>Memory cache (MiB)</source>
        <translation>Cache mémoire (Mio)</translation>
    </message>
    <message>
        <source>Memory for decoded, resized samples in MiB (0 = none); beyond it samples are decoded again each epoch unless a cache folder is set.</source>
        <translation>Mémoire pour les échantillons décodés et redimensionnés, en Mio (0 = aucune)&#xa0;; au-delà, les échantillons sont redécodés à chaque époque, sauf si un dossier de cache est indiqué.</translation>
    </message>
    <message>
        <source>Cache folder</source>
        <translation>Dossier de cache</translation>
    </message>
    <message>
        <source>Also keep decoded samples in this folder (reused by later runs at the same size).</source>
        <translation>Garder aussi les échantillons décodés dans ce dossier (réutilisés par les entraînements suivants à la même taille).</translation>
    </message>
    <message>
        <source>Checkpoint every (minutes)</source>
        <translation>Point de reprise toutes les (minutes)</translation>
    </message>
    <message>
        <source>Also write last.pt every M minutes within an epoch (0 = at epoch ends only).</source>
        <translation>Écrire aussi last.pt toutes les M minutes au cours d&apos;une époque (0 = seulement en fin d&apos;époque).</translation>
    </message>
    <message>
        <source>Corrections</source>
        <translation>Corrections</translation>
    </message>
    <message>
        <source>Train on the hand-corrected masks saved in this corrections folder (by default the editor saves them in &lt;dataset folder&gt;.corrections): they replace the original masks of the edited images, in training and validation.</source>
        <translation>Entraîner sur les masques corrigés à la main enregistrés dans ce dossier de corrections (par défaut, l&apos;éditeur les enregistre dans &lt;dossier du jeu de données&gt;.corrections)&#xa0;: ils remplacent les masques d&apos;origine des images modifiées, à l&apos;entraînement et à la validation.</translation>
    </message>
    <message>
        <source>high</source>
        <translation>élevée</translation>
    </message>
    <message>
        <source>low</source>
        <translation>faible</translation>
    </message>
</context>
<context>
    <name>msup::ui::AnnotationCanvas</name>
    <message>
        <source>Flood fill</source>
        <translation>Remplissage de zone</translation>
    </message>
    <message>
        <source>Eraser stroke</source>
        <translation>Trait de gomme</translation>
    </message>
    <message>
        <source>Brush stroke</source>
        <translation>Trait de pinceau</translation>
    </message>
    <message>
        <source>Fill holes (all classes)</source>
        <translation>Boucher les trous (toutes les classes)</translation>
    </message>
    <message>
        <source>Fill holes</source>
        <translation>Boucher les trous</translation>
    </message>
    <message>
        <source>Polygon fill</source>
        <translation>Remplissage de polygone</translation>
    </message>
</context>
<context>
    <name>msup::ui::AnnotationPanel</name>
    <message>
        <source>void</source>
        <translation>non étiqueté</translation>
    </message>
    <message>
        <source>(%1, %2): %3</source>
        <translation>(%1, %2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>background</source>
        <translation>fond</translation>
    </message>
    <message>
        <source>foreground</source>
        <translation>premier plan</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Pinceau</translation>
    </message>
    <message>
        <source>Paint the selected class with a round brush</source>
        <translation>Peindre la classe sélectionnée avec un pinceau rond</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>Gomme</translation>
    </message>
    <message>
        <source>Erase to background (or void, see Eraser below)</source>
        <translation>Gommer vers le fond (ou non étiqueté, voir Gomme ci-dessous)</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>Remplir</translation>
    </message>
    <message>
        <source>Flood fill: the clicked region of one class becomes the selected class</source>
        <translation>Remplissage de zone&#xa0;: la région cliquée d&apos;une classe prend la classe sélectionnée</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>Polygone</translation>
    </message>
    <message>
        <source>Polygon / lasso fill: click points or drag a lasso; Enter or a double click closes, Esc cancels</source>
        <translation>Remplissage par polygone ou lasso&#xa0;: cliquez des points ou tracez un lasso ; Entrée ou un double clic ferme, Échap annule</translation>
    </message>
    <message>
        <source>Fill holes</source>
        <translation>Boucher les trous</translation>
    </message>
    <message>
        <source>Fill the background holes enclosed by the selected class</source>
        <translation>Remplir les trous de fond entourés par la classe sélectionnée</translation>
    </message>
    <message>
        <source>Select a class other than background and void to fill its holes.</source>
        <translation>Sélectionnez une classe autre que le fond et non étiqueté pour boucher ses trous.</translation>
    </message>
    <message>
        <source>No holes enclosed by this class.</source>
        <translation>Aucun trou entouré par cette classe.</translation>
    </message>
    <message>
        <source>Fill holes (all classes)</source>
        <translation>Boucher les trous (toutes les classes)</translation>
    </message>
    <message>
        <source>Fill the background holes enclosed by any single class</source>
        <translation>Remplir les trous de fond entourés par une seule classe, quelle qu&apos;elle soit</translation>
    </message>
    <message>
        <source>No enclosed holes.</source>
        <translation>Aucun trou entouré.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undo the last edit (%1)</source>
        <translation>Annuler la dernière modification (%1)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>Redo (%1)</source>
        <translation>Rétablir (%1)</translation>
    </message>
    <message>
        <source>Save mask</source>
        <translation>Enregistrer le masque</translation>
    </message>
    <message>
        <source>Save this image&apos;s mask (the project&apos;s Ctrl+S saves it too)</source>
        <translation>Enregistrer le masque de cette image (le Ctrl+S du projet l&apos;enregistre aussi)</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Contours</translation>
    </message>
    <message>
        <source>Show only the class boundaries</source>
        <translation>N&apos;afficher que les contours des classes</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Fit the image to the view</source>
        <translation>Ajuster l&apos;image à la vue</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>One image pixel per screen pixel</source>
        <translation>Un pixel d&apos;image par pixel d&apos;écran</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Vérifiée</translation>
    </message>
    <message>
        <source>Mark this image as reviewed</source>
        <translation>Marquer cette image comme vérifiée</translation>
    </message>
    <message>
        <source>Smaller brush</source>
        <translation>Pinceau plus petit</translation>
    </message>
    <message>
        <source>Larger brush</source>
        <translation>Pinceau plus grand</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>Classe %1</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Non étiqueté</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>The class the brush, fill and polygon paint (keys 1-9 and 0, V for void)</source>
        <translation>La classe que peignent le pinceau, le remplissage et le polygone (touches 1-9 et 0, V pour non étiqueté)</translation>
    </message>
    <message>
        <source> px</source>
        <translation>&#xa0;px</translation>
    </message>
    <message>
        <source>Brush radius: the brush is 2 × radius + 1 pixels wide ([ and ], or Shift+wheel)</source>
        <translation>Rayon du pinceau&#xa0;: le pinceau fait 2&#xa0;×&#xa0;rayon + 1 pixels de large ([ et ], ou Maj+molette)</translation>
    </message>
    <message>
        <source>Brush radius</source>
        <translation>Rayon du pinceau</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>Fond</translation>
    </message>
    <message>
        <source>Void / ignore</source>
        <translation>Non étiqueté / ignoré</translation>
    </message>
    <message>
        <source>What the eraser paints</source>
        <translation>Ce que peint la gomme</translation>
    </message>
    <message>
        <source>Opacity of the class colours over the image</source>
        <translation>Opacité des couleurs des classes sur l&apos;image</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Opacité</translation>
    </message>
    <message>
        <source>Outline view</source>
        <translation>Vue des contours</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>Point de départ</translation>
    </message>
    <message>
        <source>Empty mask</source>
        <translation>Masque vide</translation>
    </message>
    <message>
        <source>Ground truth</source>
        <translation>Vérité terrain</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Prédiction</translation>
    </message>
    <message>
        <source>The starting point that replaces this image&apos;s mask (undoable)</source>
        <translation>Le point de départ qui remplace le masque de cette image (annulable)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Replace this image&apos;s mask by the chosen starting point (undoable)</source>
        <translation>Remplacer le masque de cette image par le point de départ choisi (annulable)</translation>
    </message>
    <message>
        <source>Apply to all unedited</source>
        <translation>Appliquer aux non modifiées</translation>
    </message>
    <message>
        <source>Start every image that has not been edited yet from the chosen source and save it</source>
        <translation>Initialiser chaque image pas encore modifiée à partir de la source choisie et l&apos;enregistrer</translation>
    </message>
    <message>
        <source>Corrections folder</source>
        <translation>Dossier des corrections</translation>
    </message>
    <message>
        <source>Dataset files</source>
        <translation>Fichiers du jeu de données</translation>
    </message>
    <message>
        <source>Corrections folder: beside the dataset, which stays untouched (default). Dataset files: the mask files themselves, in their own format (originals kept as .orig)</source>
        <translation>Dossier des corrections&#xa0;: à côté du jeu de données, qui reste intact (par défaut). Fichiers du jeu de données&#xa0;: les fichiers de masques eux-mêmes, dans leur propre format (originaux conservés en .orig)</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Enregistrer dans</translation>
    </message>
    <message>
        <source>The pixel under the mouse and its class</source>
        <translation>Le pixel sous la souris et sa classe</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;ouverture&gt;</translation>
    </message>
    <message>
        <source>Every edit of this image; click an entry to go back to it</source>
        <translation>Chaque modification de cette image ; cliquez sur une entrée pour y revenir</translation>
    </message>
    <message>
        <source>%1  %2</source>
        <translation>%1  %2</translation>
    </message>
    <message>
        <source>V  void / ignore</source>
        <translation>V  non étiqueté / ignoré</translation>
    </message>
    <message>
        <source>No mask storage is open for this dataset.</source>
        <translation>Aucun stockage de masques n&apos;est ouvert pour ce jeu de données.</translation>
    </message>
    <message>
        <source>Cannot open the mask of %1: %2</source>
        <translation>Impossible d&apos;ouvrir le masque de %1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>Recovered %n unsaved edit(s) from the crash journal.</source>
        <translation>
            <numerusform>%n&#xa0;modification non enregistrée récupérée du journal de secours.</numerusform>
            <numerusform>%n&#xa0;modifications non enregistrées récupérées du journal de secours.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot edit the mask of %1: %2</source>
        <translation>Impossible de modifier le masque de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The new mask does not fit this image.</source>
        <translation>Le nouveau masque ne correspond pas à cette image.</translation>
    </message>
    <message>
        <source>Replace mask</source>
        <translation>Remplacer le masque</translation>
    </message>
    <message>
        <source>The crash journal cannot be written (%1): save soon, a crash would lose the unsaved edits.</source>
        <translation>Le journal de secours ne peut pas être écrit (%1)&#xa0;: enregistrez bientôt, un plantage ferait perdre les modifications non enregistrées.</translation>
    </message>
    <message>
        <source>The crash journal cannot be written (%1).</source>
        <translation>Le journal de secours ne peut pas être écrit (%1).</translation>
    </message>
    <message>
        <source>Start from ground truth</source>
        <translation>Partir de la vérité terrain</translation>
    </message>
    <message>
        <source>Start from prediction</source>
        <translation>Partir de la prédiction</translation>
    </message>
    <message>
        <source>Start from an empty mask</source>
        <translation>Partir d&apos;un masque vide</translation>
    </message>
    <message>
        <source>No prediction for this image: run a model on it first.</source>
        <translation>Aucune prédiction pour cette image&#xa0;: exécutez d&apos;abord un modèle dessus.</translation>
    </message>
    <message>
        <source>The ground truth is only available with the dataset&apos;s mask storage.</source>
        <translation>La vérité terrain n&apos;est disponible qu&apos;avec le stockage de masques du jeu de données.</translation>
    </message>
    <message>
        <source>Apply to all unedited images</source>
        <translation>Appliquer à toutes les images non modifiées</translation>
    </message>
    <message numerus="yes">
        <source>Start %n unedited image(s) from &quot;%1&quot; and save them?</source>
        <translation>
            <numerusform>Initialiser %n&#xa0;image non modifiée à partir de «&#xa0;%1&#xa0;» et l&apos;enregistrer&#xa0;?</numerusform>
            <numerusform>Initialiser %n&#xa0;images non modifiées à partir de «&#xa0;%1&#xa0;» et les enregistrer&#xa0;?</numerusform>
        </translation>
    </message>
    <message>
        <source>No model to predict with: choose a run&apos;s checkpoint first.</source>
        <translation>Aucun modèle pour prédire&#xa0;: choisissez d&apos;abord le point de contrôle d&apos;un entraînement.</translation>
    </message>
    <message>
        <source>Applying the starting point...</source>
        <translation>Application du point de départ…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Start from (all unedited images)</source>
        <translation>Point de départ (toutes les images non modifiées)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) started from the chosen source.</source>
        <translation>
            <numerusform>%n&#xa0;image initialisée à partir de la source choisie.</numerusform>
            <numerusform>%n&#xa0;images initialisées à partir de la source choisie.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) started; %1 failed: %2</source>
        <translation>
            <numerusform>%n&#xa0;image initialisée ; %1 en échec&#xa0;: %2</numerusform>
            <numerusform>%n&#xa0;images initialisées ; %1 en échec&#xa0;: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>Cannot save the mask: %1</source>
        <translation>Impossible d&apos;enregistrer le masque&#xa0;: %1</translation>
    </message>
    <message>
        <source>Next suggested</source>
        <translation>Suggestion suivante</translation>
    </message>
    <message>
        <source>Open the next image of the suggested ranking that is not reviewed yet</source>
        <translation>Ouvrir l&apos;image suivante du classement suggéré qui n&apos;est pas encore vérifiée</translation>
    </message>
    <message>
        <source>Previous suggested</source>
        <translation>Suggestion précédente</translation>
    </message>
    <message>
        <source>Open the previous image of the suggested ranking that is not reviewed yet</source>
        <translation>Ouvrir l&apos;image précédente du classement suggéré qui n&apos;est pas encore vérifiée</translation>
    </message>
    <message>
        <source>Suggested to annotate</source>
        <translation>Images suggérées à annoter</translation>
    </message>
    <message>
        <source>Previous</source>
        <comment>suggested image</comment>
        <translation>Précédente</translation>
    </message>
    <message>
        <source>Next</source>
        <comment>suggested image</comment>
        <translation>Suivante</translation>
    </message>
    <message>
        <source>No ranking yet: use “Suggest images to annotate…” under the samples.</source>
        <translation>Pas encore de classement&#xa0;: utilisez «&#xa0;Suggérer des images à annoter…&#xa0;» sous les échantillons.</translation>
    </message>
    <message>
        <source>Suggested %1 of %2</source>
        <translation>Suggestion %1 sur %2</translation>
    </message>
    <message numerus="yes">
        <source>Not among the %n suggested image(s)</source>
        <translation>
            <numerusform>Hors de la suggestion (%n&#xa0;image)</numerusform>
            <numerusform>Hors des %n&#xa0;images suggérées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to review</source>
        <translation>
            <numerusform>%n à vérifier</numerusform>
            <numerusform>%n à vérifier</numerusform>
        </translation>
    </message>
    <message>
        <source>Ranked by %1</source>
        <translation>Classement établi par %1</translation>
    </message>
</context>
<context>
    <name>msup::ui::BackgroundTask</name>
    <message>
        <source>Unexpected error in a background task.</source>
        <translation>Erreur inattendue dans une tâche d&apos;arrière-plan.</translation>
    </message>
</context>
<context>
    <name>msup::ui::DatasetPanel</name>
    <message>
        <source>Samples of the dataset. Select one to view it with its labels, its masked versions and its prediction.</source>
        <translation>Échantillons du jeu de données. Sélectionnez-en un pour le voir avec ses étiquettes, ses versions masquées et sa prédiction.</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Détails…</translation>
    </message>
    <message>
        <source>List every file skipped while indexing and how to fix it</source>
        <translation>Lister chaque fichier ignoré lors de l&apos;indexation et la façon d&apos;y remédier</translation>
    </message>
    <message>
        <source>Label opacity:</source>
        <translation>Opacité des étiquettes&#xa0;:</translation>
    </message>
    <message>
        <source>0 %: image only; 100 %: label colours only</source>
        <translation>0&#xa0;%&#xa0;: image seule ; 100&#xa0;%&#xa0;: couleurs des étiquettes seules</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>No dataset open. Use File ▸ Open dataset… or drop a folder here.</source>
        <translation>Aucun jeu de données ouvert. Utilisez Fichier ▸ Ouvrir un jeu de données… ou déposez un dossier ici.</translation>
    </message>
    <message>
        <source>No dataset open</source>
        <translation>Aucun jeu de données ouvert</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 · %n sample(s) · %3 classes</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 · %n&#xa0;échantillon · %3&#xa0;classes</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 · %n&#xa0;échantillons · %3&#xa0;classes</numerusform>
        </translation>
    </message>
    <message>
        <source>This dataset has no usable image/label pairs (see the problems list).</source>
        <translation>Ce jeu de données n&apos;a aucune paire image/étiquettes utilisable (voir la liste des problèmes).</translation>
    </message>
    <message>
        <source>%1 — loading…</source>
        <translation>%1 — chargement…</translation>
    </message>
    <message>
        <source>%1 — unreadable</source>
        <translation>%1 — illisible</translation>
    </message>
    <message>
        <source>Could not read the image of sample “%1”.</source>
        <translation>Impossible de lire l&apos;image de l&apos;échantillon «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Check that the file is a complete, readable image, or remove this pair from the dataset folder and open it again.</source>
        <translation>Vérifiez que le fichier est une image complète et lisible, ou retirez cette paire du dossier du jeu de données puis rouvrez-le.</translation>
    </message>
    <message>
        <source>%1 — %2 × %3 px</source>
        <translation>%1 — %2&#xa0;×&#xa0;%3&#xa0;px</translation>
    </message>
    <message>
        <source>labels unreadable: %1</source>
        <translation>étiquettes illisibles&#xa0;: %1</translation>
    </message>
    <message>
        <source>Could not read the labels of sample “%1”.</source>
        <translation>Impossible de lire les étiquettes de l&apos;échantillon «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>The image is shown without labels. Fix or replace the label file, then open the dataset again.</source>
        <translation>L&apos;image est affichée sans étiquettes. Corrigez ou remplacez le fichier d&apos;étiquettes, puis rouvrez le jeu de données.</translation>
    </message>
    <message>
        <source>overlay failed: %1</source>
        <translation>échec de la superposition&#xa0;: %1</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>Aucun problème trouvé.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found while indexing</source>
        <translation>
            <numerusform>%n problème trouvé lors de l&apos;indexation</numerusform>
            <numerusform>%n problèmes trouvés lors de l&apos;indexation</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… et %n autre</numerusform>
            <numerusform>… et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <source>Dataset problems</source>
        <translation>Problèmes du jeu de données</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) were found while indexing “%1”.</source>
        <translation>
            <numerusform>%n problème a été trouvé lors de l&apos;indexation de «&#xa0;%1&#xa0;».</numerusform>
            <numerusform>%n problèmes ont été trouvés lors de l&apos;indexation de «&#xa0;%1&#xa0;».</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them made a pair unusable; those pairs are not in the sample list.</source>
        <translation>
            <numerusform>%n d&apos;entre eux rend une paire inutilisable ; une telle paire n&apos;est pas dans la liste des échantillons.</numerusform>
            <numerusform>%n d&apos;entre eux rendent une paire inutilisable ; ces paires ne sont pas dans la liste des échantillons.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unreadable sample</source>
        <translation>Échantillon illisible</translation>
    </message>
    <message>
        <source>split %1</source>
        <translation>partition %1</translation>
    </message>
    <message numerus="yes">
        <source>%n instance(s)</source>
        <translation>
            <numerusform>%n&#xa0;instance</numerusform>
            <numerusform>%n&#xa0;instances</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, frame %2</source>
        <translation>%1, image %2</translation>
    </message>
    <message>
        <source>Search by name (Ctrl+F)</source>
        <translation>Rechercher par nom (Ctrl+F)</translation>
    </message>
    <message>
        <source>Show only the samples whose name contains this text (any case)</source>
        <translation>N&apos;afficher que les échantillons dont le nom contient ce texte (sans distinction de casse)</translation>
    </message>
    <message>
        <source>Show one official split of the dataset</source>
        <translation>Afficher une seule partition officielle du jeu de données</translation>
    </message>
    <message>
        <source>Show only the samples whose labels contain this class (the label maps are scanned in the background the first time)</source>
        <translation>N&apos;afficher que les échantillons dont les étiquettes contiennent cette classe (les cartes d&apos;étiquettes sont analysées en arrière-plan la première fois)</translation>
    </message>
    <message>
        <source>Scanning classes %1/%2…</source>
        <translation>Analyse des classes %1/%2…</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Classes</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Contours</translation>
    </message>
    <message>
        <source>Draw only the class boundaries instead of filled regions (O)</source>
        <translation>Ne dessiner que les contours des classes au lieu de régions pleines (O)</translation>
    </message>
    <message>
        <source>All splits</source>
        <translation>Toutes les partitions</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>Toutes les classes</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n sample(s)</source>
        <translation>
            <numerusform>%1 sur %n&#xa0;échantillon</numerusform>
            <numerusform>%1 sur %n&#xa0;échantillons</numerusform>
        </translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Fichier&#xa0;: %1</translation>
    </message>
    <message>
        <source>no labelled pixel</source>
        <translation>aucun pixel étiqueté</translation>
    </message>
    <message>
        <source>classes present: %1</source>
        <translation>classes présentes&#xa0;: %1</translation>
    </message>
    <message>
        <source>Class %1: %2</source>
        <translation>Classe %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Not painted over the image (the background of a binary task)</source>
        <translation>Non peinte sur l&apos;image (le fond d&apos;une tâche binaire)</translation>
    </message>
    <message>
        <source>%1 % of this image</source>
        <translation>%1&#xa0;% de cette image</translation>
    </message>
    <message>
        <source>Not in this image</source>
        <translation>Absente de cette image</translation>
    </message>
    <message>
        <source>void</source>
        <translation>non étiqueté</translation>
    </message>
    <message>
        <source>Unlabelled pixels (label %1): not painted, not trained on</source>
        <translation>Pixels non étiquetés (étiquette %1)&#xa0;: ni peints, ni appris</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>Toutes les images</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Vérifiées</translation>
    </message>
    <message>
        <source>Not reviewed</source>
        <translation>Non vérifiées</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>Modifiées</translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation>Non étiquetées</translation>
    </message>
    <message>
        <source>Mark reviewed</source>
        <translation>Marquer comme vérifiée</translation>
    </message>
    <message>
        <source>Mark the selected image as reviewed, or not (Ctrl+M)</source>
        <translation>Marquer l&apos;image sélectionnée comme vérifiée, ou non (Ctrl+M)</translation>
    </message>
    <message>
        <source>Images marked as reviewed, and images whose mask was edited by hand</source>
        <translation>Images marquées comme vérifiées, et images dont le masque a été modifié à la main</translation>
    </message>
    <message>
        <source>Reviewed: %1 · Edited: %2</source>
        <translation>Vérifiées&#xa0;: %1 · Modifiées&#xa0;: %2</translation>
    </message>
    <message>
        <source>Class colours; the classes present in this image are in bold. Double click a class to change its colour.</source>
        <translation>Couleurs des classes ; les classes présentes dans cette image sont en gras. Double-cliquez sur une classe pour changer sa couleur.</translation>
    </message>
    <message>
        <source>Colour of “%1”</source>
        <translation>Couleur de «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>Show the samples by review state: reviewed, not reviewed yet, edited by hand, unlabelled (no labelled pixel; the label maps are scanned in the background the first time), or suggested to annotate (the ranked images, most uncertain first)</source>
        <translation>Afficher les échantillons selon leur état de vérification&#xa0;: vérifiés, pas encore vérifiés, modifiés à la main, non étiquetés (aucun pixel étiqueté&#xa0;; les cartes d&apos;étiquettes sont analysées en arrière-plan la première fois) ou suggérés à annoter (les images classées, les plus incertaines d&apos;abord)</translation>
    </message>
    <message>
        <source>Suggested to annotate</source>
        <translation>Suggérées à annoter</translation>
    </message>
    <message>
        <source>Suggest images to annotate…</source>
        <translation>Suggérer des images à annoter…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop ranking; the images ranked so far are kept</source>
        <translation>Arrêter le classement&#xa0;; les images déjà classées sont conservées</translation>
    </message>
    <message>
        <source>Ranking %1/%2</source>
        <translation>Classement %1/%2</translation>
    </message>
    <message>
        <source>Needs a trained model: train one, or open a checkpoint (File ▸ Open checkpoint…)</source>
        <translation>Nécessite un modèle entraîné&#xa0;: entraînez-en un ou ouvrez un point de contrôle (Fichier ▸ Ouvrir un point de contrôle…)</translation>
    </message>
    <message>
        <source>Rank the images not marked reviewed by how unsure %1 is about them, most uncertain first (mean uncertainty of its prediction)</source>
        <translation>Classer les images non marquées comme vérifiées selon l&apos;incertitude de %1 à leur sujet, les plus incertaines d&apos;abord (incertitude moyenne de sa prédiction)</translation>
    </message>
    <message>
        <source>Rank the images first: Suggest images to annotate…</source>
        <translation>Classez d&apos;abord les images&#xa0;: Suggérer des images à annoter…</translation>
    </message>
    <message>
        <source>Ranking the images not reviewed with %1…</source>
        <translation>Classement des images non vérifiées avec %1…</translation>
    </message>
    <message>
        <source>Could not rank the images: %1</source>
        <translation>Impossible de classer les images&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %1 of %n image(s) ranked by %2, most uncertain first</source>
        <translation>
            <numerusform>Annulé&#xa0;: classement partiel par %2 (%1 sur %n&#xa0;image), les plus incertaines d&apos;abord</numerusform>
            <numerusform>Annulé&#xa0;: classement partiel par %2 (%1 sur %n&#xa0;images), les plus incertaines d&apos;abord</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) ranked by %1, most uncertain first</source>
        <translation>
            <numerusform>%n&#xa0;image classée par %1, les plus incertaines d&apos;abord</numerusform>
            <numerusform>%n&#xa0;images classées par %1, les plus incertaines d&apos;abord</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to review</source>
        <translation>
            <numerusform>%n à vérifier</numerusform>
            <numerusform>%n à vérifier</numerusform>
        </translation>
    </message>
    <message>
        <source>Ranked with %1</source>
        <translation>Classement établi avec %1</translation>
    </message>
    <message>
        <source>An image&apos;s score is the mean uncertainty of the prediction over its pixels (0: sure, 1: unsure).</source>
        <translation>Le score d&apos;une image est l&apos;incertitude moyenne de la prédiction sur ses pixels (0&#xa0;: sûre, 1&#xa0;: incertaine).</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) skipped: %1</source>
        <translation>
            <numerusform>%n&#xa0;image ignorée&#xa0;: %1</numerusform>
            <numerusform>%n&#xa0;images ignorées&#xa0;: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::DatasetReportDialog</name>
    <message>
        <source>%1 × %2 px</source>
        <translation>%1 × %2 px</translation>
    </message>
    <message>
        <source>Dataset report — %1</source>
        <translation>Rapport du jeu de données — %1</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier&#xa0;:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format&#xa0;:</translation>
    </message>
    <message>
        <source>Classes:</source>
        <translation>Classes&#xa0;:</translation>
    </message>
    <message>
        <source>Samples:</source>
        <translation>Échantillons&#xa0;:</translation>
    </message>
    <message>
        <source>Image sizes:</source>
        <translation>Tailles d&apos;image&#xa0;:</translation>
    </message>
    <message>
        <source>Checked:</source>
        <translation>Vérification&#xa0;:</translation>
    </message>
    <message>
        <source>Decoding %v of %m pairs…</source>
        <translation>Décodage de %v paires sur %m…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop checking; the report then covers the pairs checked so far</source>
        <translation>Arrêter la vérification ; le rapport porte alors sur les paires déjà vérifiées</translation>
    </message>
    <message>
        <source>Share of labelled pixels (%)</source>
        <translation>Part des pixels étiquetés (%)</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>Check every file when a dataset is opened</source>
        <translation>Vérifier chaque fichier à l&apos;ouverture d&apos;un jeu de données</translation>
    </message>
    <message>
        <source>&amp;Copy report</source>
        <translation>&amp;Copier le rapport</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s)</source>
        <translation>
            <numerusform>%n&#xa0;paire</numerusform>
            <numerusform>%n&#xa0;paires</numerusform>
        </translation>
    </message>
    <message>
        <source>no official split (training makes a seeded split and saves it with the run)</source>
        <translation>pas de partition officielle (l&apos;entraînement fait une partition déterminée par la graine et l&apos;enregistre dans son dossier)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>no split: %1</source>
        <translation>sans partition&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 classes: %2</source>
        <translation>%1&#xa0;classes&#xa0;: %2</translation>
    </message>
    <message>
        <source>label %1 = void</source>
        <translation>étiquette %1 = non étiqueté</translation>
    </message>
    <message>
        <source>known once the pairs are decoded</source>
        <translation>connues une fois les paires décodées</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>pas encore</translation>
    </message>
    <message>
        <source>decoding every pair…</source>
        <translation>décodage de chaque paire…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>the check failed: %1</source>
        <translation>la vérification a échoué&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>cancelled after %1 of %n pair(s): the figures cover those only</source>
        <translation>
            <numerusform>annulée après %1 sur %n&#xa0;paire&#xa0;: les chiffres ne portent que sur celles-ci</numerusform>
            <numerusform>annulée après %1 sur %n&#xa0;paires&#xa0;: les chiffres ne portent que sur celles-ci</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) decoded</source>
        <translation>
            <numerusform>%n&#xa0;paire décodée</numerusform>
            <numerusform>%n&#xa0;paires décodées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n&#xa0;erreur</numerusform>
            <numerusform>%n&#xa0;erreurs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n&#xa0;avertissement</numerusform>
            <numerusform>%n&#xa0;avertissements</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) cannot be used for training</source>
        <translation>
            <numerusform>%n&#xa0;paire est inutilisable pour l&apos;entraînement</numerusform>
            <numerusform>%n&#xa0;paires sont inutilisables pour l&apos;entraînement</numerusform>
        </translation>
    </message>
    <message>
        <source>all %1</source>
        <translation>toutes en %1</translation>
    </message>
    <message>
        <source>from %1 to %2</source>
        <translation>de %1 à %2</translation>
    </message>
    <message>
        <source>no readable image</source>
        <translation>aucune image lisible</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>Class pixel frequencies: known once the pairs are decoded</source>
        <translation>Fréquences des pixels par classe&#xa0;: connues une fois les paires décodées</translation>
    </message>
    <message>
        <source>Class pixel frequencies (void: %1 % of all pixels)</source>
        <translation>Fréquences des pixels par classe (non étiquetés&#xa0;: %1&#xa0;% de tous les pixels)</translation>
    </message>
    <message>
        <source>Class pixel frequencies: no readable label map</source>
        <translation>Fréquences des pixels par classe&#xa0;: aucune carte d&apos;étiquettes lisible</translation>
    </message>
    <message>
        <source>Replace or re-export this file, or remove the pair, then open the dataset again.</source>
        <translation>Remplacez ou réexportez ce fichier, ou retirez la paire, puis rouvrez le jeu de données.</translation>
    </message>
    <message>
        <source>Check the file; the pair is kept.</source>
        <translation>Vérifiez le fichier ; la paire est conservée.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <source>(dataset)</source>
        <translation>(jeu de données)</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>Aucun problème trouvé.</translation>
    </message>
    <message>
        <source>No problems found while indexing.</source>
        <translation>Aucun problème trouvé lors de l&apos;indexation.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s), each with its file and the fix:</source>
        <translation>
            <numerusform>%n&#xa0;problème, avec son fichier et la correction&#xa0;:</numerusform>
            <numerusform>%n&#xa0;problèmes, chacun avec son fichier et la correction&#xa0;:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found while indexing (decoding may find more):</source>
        <translation>
            <numerusform>%n&#xa0;problème trouvé lors de l&apos;indexation (le décodage peut en trouver d&apos;autres)&#xa0;:</numerusform>
            <numerusform>%n&#xa0;problèmes trouvés lors de l&apos;indexation (le décodage peut en trouver d&apos;autres)&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder: %1</source>
        <translation>Dossier&#xa0;: %1</translation>
    </message>
    <message>
        <source>Format: %1</source>
        <translation>Format&#xa0;: %1</translation>
    </message>
    <message>
        <source>Classes: %1</source>
        <translation>Classes&#xa0;: %1</translation>
    </message>
    <message>
        <source>Samples: %1</source>
        <translation>Échantillons&#xa0;: %1</translation>
    </message>
    <message>
        <source>Image sizes: %1</source>
        <translation>Tailles d&apos;image&#xa0;: %1</translation>
    </message>
    <message>
        <source>Checked: %1</source>
        <translation>Vérification&#xa0;: %1</translation>
    </message>
    <message>
        <source>  %1: %2 % of labelled pixels</source>
        <translation>  %1&#xa0;: %2&#xa0;% des pixels étiquetés</translation>
    </message>
</context>
<context>
    <name>msup::ui::ErrorAnalysisView</name>
    <message>
        <source>Worst validation images</source>
        <translation>Pires images de validation</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Images:</source>
        <translation>Images&#xa0;:</translation>
    </message>
    <message>
        <source>How many of the worst images to show</source>
        <translation>Nombre des pires images à afficher</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Prediction errors</source>
        <translation>Erreurs de prédiction</translation>
    </message>
    <message>
        <source>Masked input</source>
        <translation>Entrée masquée</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>No validation has finished in this run yet: the worst images can be shown after the first epoch.</source>
        <translation>Aucune validation n&apos;est encore terminée dans cet entraînement&#xa0;: les pires images peuvent être affichées après la première époque.</translation>
    </message>
    <message>
        <source>The run has no checkpoint yet (checkpoints/last.pt) to predict the validation images with.</source>
        <translation>L&apos;entraînement n&apos;a pas encore de point de contrôle (checkpoints/last.pt) pour prédire les images de validation.</translation>
    </message>
    <message>
        <source>Finding the worst validation images…</source>
        <translation>Recherche des pires images de validation…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Reading image %1 of %2…</source>
        <translation>Lecture de l&apos;image %1 sur %2…</translation>
    </message>
    <message>
        <source>Predicting image %1 of %2…</source>
        <translation>Prédiction de l&apos;image %1 sur %2…</translation>
    </message>
    <message>
        <source>The images could not be analysed: %1</source>
        <translation>Les images n&apos;ont pas pu être analysées&#xa0;: %1</translation>
    </message>
    <message>
        <source>Prediction errors (epoch %1)</source>
        <translation>Erreurs de prédiction (époque %1)</translation>
    </message>
    <message>
        <source>Masked input (epoch %1)</source>
        <translation>Entrée masquée (époque %1)</translation>
    </message>
    <message>
        <source>%1
%2 error pixels</source>
        <translation>%1
%2&#xa0;pixels en erreur</translation>
    </message>
    <message>
        <source>TP %1 · FP %2 · FN %3</source>
        <translation>VP %1 · FP %2 · FN %3</translation>
    </message>
    <message>
        <source>Predicted again now: %1 error pixels</source>
        <translation>Prédite de nouveau maintenant&#xa0;: %1&#xa0;pixels en erreur</translation>
    </message>
    <message>
        <source>(baseline run: no masked input)</source>
        <translation>(entraînement de référence&#xa0;: pas d&apos;entrée masquée)</translation>
    </message>
    <message>
        <source>No validation image of epoch %1 has this error.</source>
        <translation>Aucune image de validation de l&apos;époque %1 n&apos;a cette erreur.</translation>
    </message>
    <message numerus="yes">
        <source>The %n worst of %1 validation image(s) with this error, epoch %2.</source>
        <translation>
            <numerusform>Pire image de validation présentant cette erreur (%n sur %1), époque %2.</numerusform>
            <numerusform>Pires images de validation présentant cette erreur (%n sur %1), époque %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: not every image was predicted.</source>
        <translation>Annulé&#xa0;: certaines images n&apos;ont pas été prédites.</translation>
    </message>
    <message>
        <source>No checkpoint holds the weights of epoch %1; the predictions shown are those of the latest checkpoint (epoch %2) and may differ from the counts.</source>
        <translation>Aucun point de contrôle ne contient les poids de l&apos;époque %1 ; les prédictions affichées sont celles du dernier point de contrôle (époque %2) et peuvent différer des décomptes.</translation>
    </message>
    <message>
        <source>Every error of class “%1”: its pixels predicted as another class and other pixels predicted as “%1”</source>
        <translation>Toutes les erreurs de la classe «&#xa0;%1&#xa0;»&#xa0;: ses pixels prédits comme une autre classe et les autres pixels prédits comme «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>Pixels of class “%1” predicted as “%2”</source>
        <translation>Pixels de la classe «&#xa0;%1&#xa0;» prédits comme «&#xa0;%2&#xa0;»</translation>
    </message>
    <message>
        <source>%1 correct “%4” (true positive) &amp;nbsp; %2 predicted “%4”, is another class (false positive) &amp;nbsp; %3 is “%4”, predicted another class (false negative)</source>
        <translation>%1 «&#xa0;%4&#xa0;» correct (vrai positif) &amp;nbsp; %2 prédit «&#xa0;%4&#xa0;», est une autre classe (faux positif) &amp;nbsp; %3 est «&#xa0;%4&#xa0;», prédit comme une autre classe (faux négatif)</translation>
    </message>
</context>
<context>
    <name>msup::ui::ExportDialog</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Export predictions</source>
        <translation>Exporter des prédictions</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>Ce qu&apos;il faut exporter</translation>
    </message>
    <message>
        <source>Images and folders (drop files here):</source>
        <translation>Images et dossiers (déposez des fichiers ici)&#xa0;:</translation>
    </message>
    <message>
        <source>Folders are exported image by image (not their sub-folders)</source>
        <translation>Les dossiers sont exportés image par image (sans leurs sous-dossiers)</translation>
    </message>
    <message>
        <source>Add &amp;images…</source>
        <translation>Ajouter des &amp;images…</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>Ajouter un &amp;dossier…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <source>best.pt of a training run</source>
        <translation>best.pt d&apos;un entraînement</translation>
    </message>
    <message>
        <source>&amp;Checkpoint:</source>
        <translation>&amp;Point de contrôle&#xa0;:</translation>
    </message>
    <message>
        <source>Folder the files are written to</source>
        <translation>Dossier dans lequel les fichiers sont écrits</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>Dossier de &amp;sortie&#xa0;:</translation>
    </message>
    <message>
        <source>Coloured &amp;overlay (&lt;name&gt;_overlay.png)</source>
        <translation>Superposition &amp;colorée (&lt;name&gt;_overlay.png)</translation>
    </message>
    <message>
        <source>&amp;Label mask, palette PNG, index = class (&lt;name&gt;_mask.png)</source>
        <translation>&amp;Masque d&apos;étiquettes, PNG à palette, indice = classe (&lt;name&gt;_mask.png)</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Fichiers&#xa0;:</translation>
    </message>
    <message>
        <source> %</source>
        <translation>&#xa0;%</translation>
    </message>
    <message>
        <source>0 %: the image only; 100 %: the class colours only</source>
        <translation>0&#xa0;%&#xa0;: l&apos;image seule ; 100&#xa0;%&#xa0;: les couleurs des classes seules</translation>
    </message>
    <message>
        <source>Overlay o&amp;pacity:</source>
        <translation>&amp;Opacité de la superposition&#xa0;:</translation>
    </message>
    <message>
        <source>Add a l&amp;egend (one colour and name per class) below the overlay</source>
        <translation>Ajouter une &amp;légende (une couleur et un nom par classe) sous la superposition</translation>
    </message>
    <message>
        <source>No title; %1 stands for the image name</source>
        <translation>Pas de titre ; %1 représente le nom de l&apos;image</translation>
    </message>
    <message>
        <source>A title written above the overlay; %1 is replaced by the image&apos;s file name</source>
        <translation>Un titre écrit au-dessus de la superposition ; %1 est remplacé par le nom de fichier de l&apos;image</translation>
    </message>
    <message>
        <source>Overlay &amp;title:</source>
        <translation>&amp;Titre de la superposition&#xa0;:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop after the current image; the files written so far stay</source>
        <translation>Arrêter après l&apos;image en cours ; les fichiers déjà écrits sont conservés</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Ignoré</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>Ou&amp;vrir le dossier</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exporter</translation>
    </message>
    <message>
        <source>Folder: every image in it</source>
        <translation>Dossier&#xa0;: toutes les images qu&apos;il contient</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Add images</source>
        <translation>Ajouter des images</translation>
    </message>
    <message>
        <source>Add a folder of images</source>
        <translation>Ajouter un dossier d&apos;images</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <source>Open checkpoint</source>
        <translation>Ouvrir un point de contrôle</translation>
    </message>
    <message>
        <source>MaskSup checkpoints (*.pt);;All files (*)</source>
        <translation>Points de contrôle MaskSup (*.pt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Add images or folders to export.</source>
        <translation>Ajoutez des images ou des dossiers à exporter.</translation>
    </message>
    <message>
        <source>Choose the checkpoint (.pt) that predicts.</source>
        <translation>Choisissez le point de contrôle (.pt) qui fait les prédictions.</translation>
    </message>
    <message>
        <source>Choose the output folder.</source>
        <translation>Choisissez le dossier de sortie.</translation>
    </message>
    <message>
        <source>Choose at least one kind of file to write.</source>
        <translation>Choisissez au moins un type de fichier à écrire.</translation>
    </message>
    <message>
        <source>%v of %m images</source>
        <translation>%v images sur %m</translation>
    </message>
    <message>
        <source>Loading the checkpoint…</source>
        <translation>Chargement du point de contrôle…</translation>
    </message>
    <message>
        <source>Cancelling after the current image…</source>
        <translation>Annulation après l&apos;image en cours…</translation>
    </message>
    <message>
        <source>Predicting %1…</source>
        <translation>Prédiction de %1…</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Échec de l&apos;exportation&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) written to %1</source>
        <translation>
            <numerusform>%n&#xa0;fichier écrit dans %1</numerusform>
            <numerusform>%n&#xa0;fichiers écrits dans %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n existing file(s) replaced.</source>
        <translation>
            <numerusform>%n&#xa0;fichier existant remplacé.</numerusform>
            <numerusform>%n&#xa0;fichiers existants remplacés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n image(s) exported in %2 s.</source>
        <translation>
            <numerusform>%1 sur %n&#xa0;image exportée en %2&#xa0;s.</numerusform>
            <numerusform>%1 sur %n&#xa0;images exportées en %2&#xa0;s.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: the remaining images were not exported.</source>
        <translation>Annulé&#xa0;: les images restantes n&apos;ont pas été exportées.</translation>
    </message>
    <message numerus="yes">
        <source>%n input(s) skipped:</source>
        <translation>
            <numerusform>%n&#xa0;entrée ignorée&#xa0;:</numerusform>
            <numerusform>%n&#xa0;entrées ignorées&#xa0;:</numerusform>
        </translation>
    </message>
    <message>
        <source>Replace earlier outputs?</source>
        <translation>Remplacer les sorties précédentes&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) in %1 were written by an earlier export and would be replaced.</source>
        <translation>
            <numerusform>%n&#xa0;fichier de %1 a été écrit par une exportation précédente et serait remplacé.</numerusform>
            <numerusform>%n&#xa0;fichiers de %1 ont été écrits par une exportation précédente et seraient remplacés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose No to pick another output folder.</source>
        <translation>Choisissez Non pour prendre un autre dossier de sortie.</translation>
    </message>
    <message>
        <source>&amp;Probability maps, NumPy float32 C×H×W (&lt;name&gt;_prob.npy)</source>
        <translation>Cartes de &amp;probabilités, NumPy float32 C×H×W (&lt;name&gt;_prob.npy)</translation>
    </message>
    <message>
        <source>At the model&apos;s input size when resizing; at the scaled image&apos;s size with tiles</source>
        <translation>À la taille d&apos;entrée du modèle en mode redimensionné&#xa0;; à la taille de l&apos;image mise à l&apos;échelle avec les tuiles</translation>
    </message>
    <message>
        <source>&amp;Uncertainty, heat map and NumPy float32 (&lt;name&gt;_uncertainty.png, .npy)</source>
        <translation>&amp;Incertitude, carte de chaleur et NumPy float32 (&lt;name&gt;_uncertainty.png, .npy)</translation>
    </message>
    <message>
        <source>Per-pixel normalised entropy from 0 (certain) to 1; with flip TTA, the disagreement between the passes</source>
        <translation>Entropie normalisée par pixel, de 0 (certain) à 1&#xa0;; avec la TTA par retournements, le désaccord entre les passes</translation>
    </message>
    <message>
        <source>Inference:</source>
        <translation>Inférence&#xa0;:</translation>
    </message>
</context>
<context>
    <name>msup::ui::InferenceOptionsBox</name>
    <message>
        <source>Resize to the training size</source>
        <translation>Redimensionner à la taille d&apos;entraînement</translation>
    </message>
    <message>
        <source>Tiles at native resolution</source>
        <translation>Tuiles à la résolution d&apos;origine</translation>
    </message>
    <message>
        <source>Resize: the whole image is resized to the size the network was trained at, and the labels back. Tiles: the image (times the scale) is segmented in overlapping tiles of the training size, blended smoothly: finer detail, slower.</source>
        <translation>Redimensionner&#xa0;: l&apos;image entière est ramenée à la taille d&apos;entraînement du réseau, puis les étiquettes à la taille d&apos;origine. Tuiles&#xa0;: l&apos;image (multipliée par l&apos;échelle) est segmentée en tuiles chevauchantes de la taille d&apos;entraînement, fondues en douceur&#xa0;: plus de détails, plus lent.</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Échelle&#xa0;:</translation>
    </message>
    <message>
        <source>The image is scaled by this before tiling (1 = native resolution).</source>
        <translation>L&apos;image est mise à cette échelle avant le découpage en tuiles (1 = résolution d&apos;origine).</translation>
    </message>
    <message>
        <source>Overlap:</source>
        <translation>Chevauchement&#xa0;:</translation>
    </message>
    <message>
        <source>The share of a tile&apos;s side that its neighbour covers again.</source>
        <translation>La part du côté d&apos;une tuile que sa voisine recouvre.</translation>
    </message>
    <message>
        <source>Flip TTA (average 4 flipped passes)</source>
        <translation>TTA par retournements (moyenne de 4 passes)</translation>
    </message>
    <message>
        <source>Test-time augmentation: the image and its horizontal, vertical and double flips are predicted and the probabilities averaged (4× the time). The uncertainty then shows where the passes disagree.</source>
        <translation>Augmentation au moment du test&#xa0;: l&apos;image et ses retournements horizontal, vertical et double sont prédits et les probabilités moyennées (4× le temps). L&apos;incertitude montre alors où les passes divergent.</translation>
    </message>
</context>
<context>
    <name>msup::ui::LogPanel</name>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Afficher&#xa0;:</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Tout</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Avertissements et erreurs</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Erreurs seulement</translation>
    </message>
    <message>
        <source>Which messages the panel shows (the log file keeps them all)</source>
        <translation>Les messages que le panneau affiche (le fichier journal les conserve tous)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <source>Empty the panel (the log file is kept)</source>
        <translation>Vider le panneau (le fichier journal est conservé)</translation>
    </message>
    <message>
        <source>Sa&amp;ve log…</source>
        <translation>En&amp;registrer le journal…</translation>
    </message>
    <message>
        <source>Write every message of this session to a text file</source>
        <translation>Écrire chaque message de cette session dans un fichier texte</translation>
    </message>
    <message>
        <source>Log messages</source>
        <translation>Messages du journal</translation>
    </message>
    <message>
        <source>%1  warning: %2</source>
        <translation>%1  avertissement&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1  error: %2</source>
        <translation>%1  erreur&#xa0;: %2</translation>
    </message>
    <message>
        <source>Save log</source>
        <translation>Enregistrer le journal</translation>
    </message>
    <message>
        <source>Text files (*.log *.txt)</source>
        <translation>Fichiers texte (*.log *.txt)</translation>
    </message>
</context>
<context>
    <name>msup::ui::MainWindow</name>
    <message>
        <source>MaskSup Studio</source>
        <translation>MaskSup Studio</translation>
    </message>
    <message>
        <source>&amp;Dataset</source>
        <translation>&amp;Données</translation>
    </message>
    <message>
        <source>&amp;Masks</source>
        <translation>&amp;Masques</translation>
    </message>
    <message>
        <source>&amp;Prediction</source>
        <translation>&amp;Prédiction</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Échantillons</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>Échec de l&apos;entraînement</translation>
    </message>
    <message>
        <source>&amp;Open dataset…</source>
        <translation>&amp;Ouvrir un jeu de données…</translation>
    </message>
    <message>
        <source>&amp;Generate sample dataset…</source>
        <translation>&amp;Générer un jeu de données d&apos;exemple…</translation>
    </message>
    <message>
        <source>Write a small procedural dataset and open it</source>
        <translation>Écrire un petit jeu de données procédural et l&apos;ouvrir</translation>
    </message>
    <message>
        <source>Open &amp;checkpoint…</source>
        <translation>Ouvrir un &amp;point de contrôle…</translation>
    </message>
    <message>
        <source>Open &amp;image for prediction…</source>
        <translation>Ouvrir une &amp;image pour la prédiction…</translation>
    </message>
    <message>
        <source>&amp;Export overlay…</source>
        <translation>&amp;Exporter la superposition…</translation>
    </message>
    <message>
        <source>Save the current prediction overlay as PNG</source>
        <translation>Enregistrer la superposition de la prédiction en PNG</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Démarrer</translation>
    </message>
    <message>
        <source>Start training with the settings of the Training tab</source>
        <translation>Démarrer l&apos;entraînement avec les réglages de l&apos;onglet Entraînement</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>Stop training after the current batch</source>
        <translation>Arrêter l&apos;entraînement après le lot en cours</translation>
    </message>
    <message>
        <source>&amp;About MaskSup Studio</source>
        <translation>À &amp;propos de MaskSup Studio</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Affi&amp;chage</translation>
    </message>
    <message>
        <source>&amp;Samples</source>
        <translation>É&amp;chantillons</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>Open dataset folder</source>
        <translation>Ouvrir un dossier de jeu de données</translation>
    </message>
    <message>
        <source>Indexing %1…</source>
        <translation>Indexation de %1…</translation>
    </message>
    <message>
        <source>Open dataset</source>
        <translation>Ouvrir un jeu de données</translation>
    </message>
    <message>
        <source>“%1” could not be opened as a dataset.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;a pas pu être ouvert comme jeu de données.</translation>
    </message>
    <message>
        <source>Choose the dataset folder itself (for example the Kvasir-SEG folder with images/ and masks/, or a folder of NNNNNN.png + NNNNNN_mask.png pairs), or generate a sample dataset from the File menu.</source>
        <translation>Choisissez le dossier du jeu de données lui-même (par exemple le dossier Kvasir-SEG avec images/ et masks/, ou un dossier de paires NNNNNN.png + NNNNNN_mask.png), ou générez un jeu de données d&apos;exemple depuis le menu Fichier.</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 ouvert</translation>
    </message>
    <message>
        <source>The last dataset (%1) is no longer there.</source>
        <translation>Le dernier jeu de données (%1) n&apos;existe plus.</translation>
    </message>
    <message>
        <source>Writing the sample dataset to %1…</source>
        <translation>Écriture du jeu de données d&apos;exemple dans %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Sample dataset</source>
        <translation>Jeu de données d&apos;exemple</translation>
    </message>
    <message>
        <source>Sample dataset cancelled.</source>
        <translation>Jeu de données d&apos;exemple annulé.</translation>
    </message>
    <message>
        <source>The sample dataset could not be written to “%1”.</source>
        <translation>Le jeu de données d&apos;exemple n&apos;a pas pu être écrit dans «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Choose a folder you can write to (File ▸ Generate sample dataset…).</source>
        <translation>Choisissez un dossier où vous pouvez écrire (Fichier ▸ Générer un jeu de données d&apos;exemple…).</translation>
    </message>
    <message>
        <source>No dataset</source>
        <translation>Aucun jeu de données</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n sample(s), %2 classes</source>
        <translation>
            <numerusform>%1&#xa0;: %n&#xa0;échantillon, %2&#xa0;classes</numerusform>
            <numerusform>%1&#xa0;: %n&#xa0;échantillons, %2&#xa0;classes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n&#xa0;problème</numerusform>
            <numerusform>%n&#xa0;problèmes</numerusform>
        </translation>
    </message>
    <message>
        <source>Training: idle</source>
        <translation>Entraînement&#xa0;: inactif</translation>
    </message>
    <message>
        <source>Training: starting…</source>
        <translation>Entraînement&#xa0;: démarrage…</translation>
    </message>
    <message>
        <source>Training: running</source>
        <translation>Entraînement&#xa0;: en cours</translation>
    </message>
    <message>
        <source>Training: stopping…</source>
        <translation>Entraînement&#xa0;: arrêt…</translation>
    </message>
    <message>
        <source>%1 images/s · ETA %2</source>
        <translation>%1&#xa0;images/s · fin dans %2</translation>
    </message>
    <message>
        <source>Training: stopped</source>
        <translation>Entraînement&#xa0;: arrêté</translation>
    </message>
    <message>
        <source>Training: finished</source>
        <translation>Entraînement&#xa0;: terminé</translation>
    </message>
    <message>
        <source>Training in progress</source>
        <translation>Entraînement en cours</translation>
    </message>
    <message>
        <source>A training run is in progress. Stop it and quit?

The run stops after the current batch; the checkpoint of the last completed epoch is kept.</source>
        <translation>Un entraînement est en cours. L&apos;arrêter et quitter&#xa0;?

L&apos;entraînement s&apos;arrête après le lot en cours ; le point de contrôle de la dernière époque terminée est conservé.</translation>
    </message>
    <message>
        <source>Stopping training before quitting…</source>
        <translation>Arrêt de l&apos;entraînement avant de quitter…</translation>
    </message>
    <message>
        <source>About MaskSup Studio</source>
        <translation>À propos de MaskSup Studio</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <comment>menu</comment>
        <translation>&amp;Entraînement</translation>
    </message>
    <message>
        <source>Dataset &amp;report…</source>
        <translation>&amp;Rapport du jeu de données…</translation>
    </message>
    <message>
        <source>Decode every pair of the open dataset: format, classes, counts per split, image sizes, class pixel frequencies and every problem</source>
        <translation>Décoder chaque paire du jeu de données ouvert&#xa0;: format, classes, effectifs par partition, tailles d&apos;image, fréquences des pixels par classe et chaque problème</translation>
    </message>
    <message>
        <source>Open a dataset folder, then check its files in the background (dataset report)</source>
        <translation>Ouvrir un dossier de jeu de données, puis vérifier ses fichiers en arrière-plan (rapport du jeu de données)</translation>
    </message>
    <message>
        <source>&amp;Robustness</source>
        <translation>&amp;Robustesse</translation>
    </message>
    <message>
        <source>open a dataset first (File ▸ Open dataset…).</source>
        <translation>ouvrez d’abord un jeu de données (Fichier ▸ Ouvrir un jeu de données…).</translation>
    </message>
    <message numerus="yes">
        <source>Epoch 1, batch 1: %n image(s) at %1 × %1 px, seed %2, masks: %3</source>
        <translation>
            <numerusform>Époque 1, lot 1 : %n image à %1 × %1 px, graine %2, masques : %3</numerusform>
            <numerusform>Époque 1, lot 1 : %n images à %1 × %1 px, graine %2, masques : %3</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;h3&gt;MaskSup Studio %1&lt;/h3&gt;&lt;p&gt;Train segmentation networks with Masked Supervised Learning (Zunair &amp;amp; Ben Hamza): one network segments each image and a copy with random streaks and holes removed, with a context loss and a task-similarity loss tying the two branches together.&lt;/p&gt;&lt;p&gt;Open a dataset as downloaded (GLaS, Kvasir-SEG, CVC-ClinicDB, NYUDv2 or your own images and masks) or generate a sample, preview the masks, train, and overlay predictions.&lt;/p&gt;&lt;p&gt;Built with Qt %2, LibTorch, OpenCV and QCustomPlot.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MaskSup Studio %1&lt;/h3&gt;&lt;p&gt;Entraînez des réseaux de segmentation par apprentissage supervisé masqué (Zunair &amp;amp; Ben Hamza) : un même réseau segmente chaque image et une copie dont des traits et des trous aléatoires ont été retirés, une perte de contexte et une perte de similarité de tâche liant les deux branches.&lt;/p&gt;&lt;p&gt;Ouvrez un jeu de données tel que téléchargé (GLaS, Kvasir-SEG, CVC-ClinicDB, NYUDv2 ou vos propres images et masques) ou générez un exemple, prévisualisez les masques, entraînez et superposez les prédictions.&lt;/p&gt;&lt;p&gt;Construit avec Qt %2, LibTorch, OpenCV et QCustomPlot.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>R&amp;uns</source>
        <translation>Entraîne&amp;ments</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>&amp;Nouveau projet</translation>
    </message>
    <message>
        <source>Start an untitled project from the dataset and settings now open</source>
        <translation>Commencer un projet sans titre à partir du jeu de données et des réglages actuellement ouverts</translation>
    </message>
    <message>
        <source>Open &amp;project…</source>
        <translation>Ouvrir un pro&amp;jet…</translation>
    </message>
    <message>
        <source>Open a MaskSup Studio project (.masksup): its dataset, training settings, runs and view</source>
        <translation>Ouvrir un projet MaskSup Studio (.masksup)&#xa0;: son jeu de données, ses réglages d&apos;entraînement, ses entraînements et sa vue</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>Enregi&amp;strer le projet</translation>
    </message>
    <message>
        <source>Save the project (dataset, training settings, runs, view)</source>
        <translation>Enregistrer le projet (jeu de données, réglages d&apos;entraînement, entraînements, vue)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>Enregistrer le projet so&amp;us…</translation>
    </message>
    <message>
        <source>Save the project to a new .masksup file</source>
        <translation>Enregistrer le projet dans un nouveau fichier .masksup</translation>
    </message>
    <message>
        <source>Export &amp;predictions…</source>
        <translation>Exporter des pré&amp;dictions…</translation>
    </message>
    <message>
        <source>Predict images or folders and write overlays, label masks and probability maps</source>
        <translation>Prédire des images ou des dossiers et écrire des superpositions, des masques d&apos;étiquettes et des cartes de probabilités</translation>
    </message>
    <message>
        <source>&amp;Recent projects</source>
        <translation>Projets &amp;récents</translation>
    </message>
    <message>
        <source>Untitled project</source>
        <translation>Projet sans titre</translation>
    </message>
    <message>
        <source>%1[*] — MaskSup Studio</source>
        <extracomment>%1 is the project&apos;s name; [*] is where Qt shows the unsaved-changes mark.</extracomment>
        <translation>%1[*] — MaskSup Studio</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>Aucun projet récent</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>&amp;Clear list</source>
        <translation>&amp;Effacer la liste</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Ouvrir un projet</translation>
    </message>
    <message>
        <source>The training settings of “%1” could not be applied; the form keeps its values.</source>
        <translation>Les réglages d&apos;entraînement de «&#xa0;%1&#xa0;» n&apos;ont pas pu être appliqués ; le formulaire garde ses valeurs.</translation>
    </message>
    <message>
        <source>Opened project %1</source>
        <translation>Projet %1 ouvert</translation>
    </message>
    <message>
        <source>Saved project %1</source>
        <translation>Projet %1 enregistré</translation>
    </message>
    <message>
        <source>project</source>
        <translation>projet</translation>
    </message>
    <message>
        <source>Saved the mask of %1 to %2</source>
        <translation>Masque de %1 enregistré dans %2</translation>
    </message>
    <message numerus="yes">
        <source>Started %n unedited image(s) from the chosen source</source>
        <translation>
            <numerusform>%n&#xa0;image non modifiée initialisée à partir de la source choisie</numerusform>
            <numerusform>%n&#xa0;images non modifiées initialisées à partir de la source choisie</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened dataset %1 (%n sample(s))</source>
        <translation>
            <numerusform>Jeu de données %1 ouvert (%n&#xa0;échantillon)</numerusform>
            <numerusform>Jeu de données %1 ouvert (%n&#xa0;échantillons)</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Could not open project %1: %2</source>
        <translation>Impossible d&apos;ouvrir le projet %1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>Training started: %1, %2, %n epoch(s), run folder %3</source>
        <translation>
            <numerusform>Entraînement démarré&#xa0;: %1, %2, %n&#xa0;époque, dossier de l&apos;entraînement %3</numerusform>
            <numerusform>Entraînement démarré&#xa0;: %1, %2, %n&#xa0;époques, dossier de l&apos;entraînement %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training stopped after %n epoch(s); best validation mIoU %1 (epoch %2)</source>
        <translation>
            <numerusform>Entraînement arrêté après %n&#xa0;époque ; meilleur mIoU de validation %1 (époque %2)</numerusform>
            <numerusform>Entraînement arrêté après %n&#xa0;époques ; meilleur mIoU de validation %1 (époque %2)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training finished: %n epoch(s); best validation mIoU %1 (epoch %2)</source>
        <translation>
            <numerusform>Entraînement terminé&#xa0;: %n&#xa0;époque ; meilleur mIoU de validation %1 (époque %2)</numerusform>
            <numerusform>Entraînement terminé&#xa0;: %n&#xa0;époques ; meilleur mIoU de validation %1 (époque %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Échec de l&apos;entraînement&#xa0;: %1</translation>
    </message>
    <message>
        <source>An error was logged: see the Log panel (Alt+7).</source>
        <translation>Une erreur a été journalisée&#xa0;: voir le panneau Journal (Alt+7).</translation>
    </message>
    <message>
        <source>Open &amp;folder for prediction…</source>
        <translation>Ou&amp;vrir un dossier pour la prédiction…</translation>
    </message>
    <message>
        <source>Predict every image of a folder in the background</source>
        <translation>Prédire chaque image d&apos;un dossier en arrière-plan</translation>
    </message>
    <message>
        <source>&amp;Compare with another run…</source>
        <translation>&amp;Comparer avec un autre entraînement…</translation>
    </message>
    <message>
        <source>Choose a second checkpoint to compare side by side or with a swipe in the Prediction panel</source>
        <translation>Choisir un second point de contrôle à comparer côte à côte ou par balayage dans le panneau Prédiction</translation>
    </message>
    <message>
        <source>&amp;Resume from checkpoint…</source>
        <translation>&amp;Reprendre depuis un point de contrôle…</translation>
    </message>
    <message>
        <source>Continue a stopped or interrupted run from its last checkpoint, exactly where it stopped</source>
        <translation>Poursuivre un entraînement arrêté ou interrompu depuis son dernier point de contrôle, exactement là où il s&apos;est arrêté</translation>
    </message>
    <message>
        <source>Retrain with &amp;corrections</source>
        <translation>Réentraîner avec les &amp;corrections</translation>
    </message>
    <message>
        <source>Start a run with the Training panel&apos;s settings, using the masks corrected in the Annotate panel</source>
        <translation>Démarrer un entraînement avec les réglages du panneau Entraînement, en utilisant les masques corrigés dans le panneau Annotation</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <comment>panel</comment>
        <translation>&amp;Entraînement</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Journal</translation>
    </message>
    <message>
        <source>&amp;Annotate</source>
        <translation>&amp;Annotation</translation>
    </message>
    <message>
        <source>&amp;Go to panel</source>
        <translation>&amp;Aller au panneau</translation>
    </message>
    <message>
        <source>Put every panel back, tabbed together, with the samples on the left</source>
        <translation>Remettre chaque panneau en place, regroupés en onglets, avec les échantillons à gauche</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;System default</source>
        <translation>Langue du &amp;système</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>The new language applies the next time MaskSup Studio starts.</source>
        <translation>La nouvelle langue s&apos;appliquera au prochain démarrage de MaskSup Studio.</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barre d&apos;outils principale</translation>
    </message>
    <message numerus="yes">
        <source>CPU · %n thread(s)</source>
        <translation>
            <numerusform>CPU · %n&#xa0;thread</numerusform>
            <numerusform>CPU · %n&#xa0;threads</numerusform>
        </translation>
    </message>
    <message>
        <source>The device training and prediction use when set to &quot;auto&quot;</source>
        <translation>Le périphérique qu&apos;utilisent l&apos;entraînement et la prédiction en mode «&#xa0;auto&#xa0;»</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Masks</source>
        <translation>Masques</translation>
    </message>
    <message>
        <source>Training</source>
        <comment>panel</comment>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Prédiction</translation>
    </message>
    <message>
        <source>Robustness</source>
        <translation>Robustesse</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Entraînements</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>Annotate</source>
        <translation>Annotation</translation>
    </message>
    <message>
        <source>Mask corrections are unavailable for this dataset: %1</source>
        <translation>Les corrections de masques ne sont pas disponibles pour ce jeu de données&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) of this dataset have corrected masks in %1</source>
        <translation>
            <numerusform>%n&#xa0;image de ce jeu de données a un masque corrigé dans %1</numerusform>
            <numerusform>%n&#xa0;images de ce jeu de données ont des masques corrigés dans %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Retrain with corrections</source>
        <translation>Réentraîner avec les corrections</translation>
    </message>
    <message>
        <source>The corrections folder holds no corrected mask yet. Correct masks in the Annotate panel (Alt+8) and save them to the corrections folder first.</source>
        <translation>Le dossier des corrections ne contient encore aucun masque corrigé. Corrigez d&apos;abord des masques dans le panneau Annotation (Alt+8) et enregistrez-les dans le dossier des corrections.</translation>
    </message>
    <message>
        <source>GPU: CUDA</source>
        <translation>GPU&#xa0;: CUDA</translation>
    </message>
    <message>
        <source>Training %1: epoch %2/%3</source>
        <translation>Entraînement %1&#xa0;: époque %2/%3</translation>
    </message>
    <message>
        <source>Resume run: choose the run folder</source>
        <translation>Reprendre un entraînement&#xa0;: choisissez le dossier de l&apos;entraînement</translation>
    </message>
    <message>
        <source>Resume from checkpoint</source>
        <translation>Reprendre depuis un point de contrôle</translation>
    </message>
    <message>
        <source>%1 cannot be resumed.</source>
        <translation>%1 ne peut pas être repris.</translation>
    </message>
    <message>
        <source>Train up to epoch (the run was set to %1):</source>
        <translation>Entraîner jusqu&apos;à l&apos;époque (l&apos;entraînement était réglé sur %1)&#xa0;:</translation>
    </message>
    <message>
        <source>Reset panel la&amp;yout</source>
        <translation>Réinitialiser la &amp;disposition des panneaux</translation>
    </message>
    <message>
        <source>Recent &amp;datasets</source>
        <translation>Jeu&amp;x de données récents</translation>
    </message>
    <message>
        <source>No recent datasets</source>
        <translation>Aucun jeu de données récent</translation>
    </message>
    <message>
        <source>Training skips %1: %2</source>
        <translation>L&apos;entraînement ignore %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 · %2 GiB</source>
        <translation>%1 · %2&#xa0;Gio</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU&#xa0;: %1</translation>
    </message>
    <message>
        <source>The device training and prediction use when set to &quot;auto&quot;. This computer has an NVIDIA GPU (%1), but this build of MaskSup Studio has no CUDA: it trains on the CPU. See the README&apos;s &quot;NVIDIA GPU&quot; section for a CUDA build.</source>
        <translation>Le périphérique utilisé pour l’entraînement et la prédiction en mode «&#xa0;auto&#xa0;». Cet ordinateur a un GPU NVIDIA (%1), mais cette version de MaskSup Studio n’a pas CUDA&#xa0;: elle entraîne sur le CPU. Voir la section «&#xa0;NVIDIA GPU&#xa0;» du README pour une version CUDA.</translation>
    </message>
    <message>
        <source>Training %1: paused at epoch %2/%3</source>
        <translation>Entraînement %1&#xa0;: en pause à l&apos;époque %2/%3</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Dataset</source>
        <comment>toolbar: open dataset</comment>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <source>Save</source>
        <comment>toolbar: save project</comment>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Resume run</source>
        <comment>toolbar: resume from checkpoint</comment>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <comment>toolbar: open checkpoint</comment>
        <translation>Point de contrôle</translation>
    </message>
    <message>
        <source>Images</source>
        <comment>toolbar: open a folder of images</comment>
        <translation>Images</translation>
    </message>
    <message>
        <source>Export</source>
        <comment>toolbar: export predictions</comment>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Could not rank the images to annotate: %1</source>
        <translation>Impossible de classer les images à annoter&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>Suggested %n image(s) to annotate, ranked by %1</source>
        <translation>
            <numerusform>%n&#xa0;image suggérée à annoter, classement par %1</numerusform>
            <numerusform>%n&#xa0;images suggérées à annoter, classement par %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The ranking skips %1: %2</source>
        <translation>Le classement ignore %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>msup::ui::MaskPanel</name>
    <message>
        <source>high</source>
        <translation>élevée</translation>
    </message>
    <message>
        <source>low</source>
        <translation>faible</translation>
    </message>
    <message>
        <source>MaskSup trains one network on each image and on a copy with random streaks and holes removed; the masked branch must still segment the whole image, which teaches it context. Masks change every step during training; they are never used for prediction.</source>
        <translation>MaskSup entraîne un même réseau sur chaque image et sur une copie dont des traits et des trous aléatoires ont été retirés ; la branche masquée doit tout de même segmenter l&apos;image entière, ce qui lui apprend le contexte. Les masques changent à chaque pas d&apos;entraînement ; ils ne servent jamais à la prédiction.</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Mask (white = removed)</source>
        <translation>Masque (blanc = retiré)</translation>
    </message>
    <message>
        <source>Masked image (as the network sees it)</source>
        <translation>Image masquée (telle que le réseau la voit)</translation>
    </message>
    <message>
        <source>Select an image in the sample list</source>
        <translation>Sélectionnez une image dans la liste des échantillons</translation>
    </message>
    <message>
        <source>&amp;Reroll</source>
        <translation>&amp;Retirer au sort</translation>
    </message>
    <message>
        <source>Draw a new mask (next seed)  [R]</source>
        <translation>Tirer un nouveau masque (graine suivante)  [R]</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Graine&#xa0;:</translation>
    </message>
    <message>
        <source>Hole ratio:</source>
        <translation>Proportion de trous&#xa0;:</translation>
    </message>
    <message>
        <source>“high” = 50–60 % of the pixels removed (the paper&apos;s best setting), “low” = 1–10 %, or a custom range “A-B” with 0 ≤ A &lt; B ≤ 1</source>
        <translation>«&#xa0;élevée&#xa0;» (high) = 50 à 60&#xa0;% des pixels retirés (le meilleur réglage de l&apos;article), «&#xa0;faible&#xa0;» (low) = 1 à 10&#xa0;%, ou un intervalle personnalisé «&#xa0;A-B&#xa0;» avec 0 ≤ A &lt; B ≤ 1</translation>
    </message>
    <message>
        <source>Invalid hole ratio: %1</source>
        <translation>Proportion de trous invalide&#xa0;: %1</translation>
    </message>
    <message>
        <source>Image too small for a mask (16 × 16 px at least)</source>
        <translation>Image trop petite pour un masque (16&#xa0;×&#xa0;16&#xa0;px au minimum)</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Génération…</translation>
    </message>
    <message>
        <source>Mask generation failed: %1</source>
        <translation>Échec de la génération du masque&#xa0;: %1</translation>
    </message>
    <message>
        <source>Measured hole ratio: %1 % (target %2–%3 %)</source>
        <translation>Proportion de trous mesurée&#xa0;: %1&#xa0;% (cible %2–%3&#xa0;%)</translation>
    </message>
    <message>
        <source>The image selected in the sample list</source>
        <translation>L’image sélectionnée dans la liste des échantillons</translation>
    </message>
    <message>
        <source>The mask for the current seed, hole ratio and source (white = pixels removed)</source>
        <translation>Le masque pour la graine, le taux de trous et la source actuels (blanc = pixels retirés)</translation>
    </message>
    <message>
        <source>The image with the mask&apos;s pixels replaced by mid-grey (0 after normalisation), as the context branch of the network sees it</source>
        <translation>L’image dont les pixels du masque sont remplacés par du gris moyen (0 après normalisation), telle que la branche de contexte du réseau la voit</translation>
    </message>
    <message>
        <source>Seed of the mask shown; the 16 masks of the strip and the 500 of the histogram use seeds derived from it. Same seed, same masks.</source>
        <translation>Graine du masque affiché ; les 16 masques du bandeau et les 500 de l’histogramme utilisent des graines qui en dérivent. Même graine, mêmes masques.</translation>
    </message>
    <message>
        <source>Interval: (</source>
        <translation>Intervalle : (</translation>
    </message>
    <message>
        <source>Lower end of the hole-ratio interval (excluded): masks remove more than this share of the pixels</source>
        <translation>Borne inférieure de l’intervalle de taux de trous (exclue) : les masques retirent plus que cette part des pixels</translation>
    </message>
    <message>
        <source>Upper end of the hole-ratio interval (included): masks remove at most this share of the pixels</source>
        <translation>Borne supérieure de l’intervalle de taux de trous (incluse) : les masques retirent au plus cette part des pixels</translation>
    </message>
    <message>
        <source>Share of the pixels the mask shown removes</source>
        <translation>Part des pixels que retire le masque affiché</translation>
    </message>
    <message>
        <source>Mask &amp;source:</source>
        <translation>&amp;Source des masques :</translation>
    </message>
    <message>
        <source>Generator</source>
        <translation>Générateur</translation>
    </message>
    <message>
        <source>Mask folder…</source>
        <translation>Dossier de masques…</translation>
    </message>
    <message>
        <source>Where the masks come from: the built-in generator of streaks and holes, or a folder of mask images (white = hole, e.g. the NVIDIA irregular mask set); only the folder&apos;s masks whose hole ratio lies in the interval are used</source>
        <translation>D’où viennent les masques : le générateur intégré de traits et de trous, ou un dossier d’images de masques (blanc = trou, par exemple le jeu de masques irréguliers de NVIDIA) ; seuls les masques du dossier dont le taux de trous est dans l’intervalle sont utilisés</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Choose another folder of mask images</source>
        <translation>Choisir un autre dossier d’images de masques</translation>
    </message>
    <message>
        <source>Reading every mask of the folder once to measure its hole ratio</source>
        <translation>Lecture de chaque masque du dossier, une fois, pour mesurer son taux de trous</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop reading the mask folder and go back to the generator</source>
        <translation>Arrêter la lecture du dossier de masques et revenir au générateur</translation>
    </message>
    <message>
        <source>%1 random masks for these settings</source>
        <translation>%1 masques aléatoires pour ces réglages</translation>
    </message>
    <message>
        <source>Masks for %1 seeds derived from the seed field, drawn at %2 × %2 px as training draws them at its image size</source>
        <translation>Masques pour %1 graines dérivées du champ graine, tracés à %2 × %2 px comme l’entraînement les trace à sa taille d’image</translation>
    </message>
    <message>
        <source>Hole ratios of %1 masks for these settings</source>
        <translation>Taux de trous de %1 masques pour ces réglages</translation>
    </message>
    <message>
        <source>Histogram of the hole ratios of %1 masks (seeds derived from the seed field); the red lines mark the interval (lo, hi]. For a mask folder, each sampled file&apos;s own ratio.</source>
        <translation>Histogramme des taux de trous de %1 masques (graines dérivées du champ graine) ; les lignes rouges marquent l’intervalle (bas, haut]. Pour un dossier de masques, le taux propre de chaque fichier tiré.</translation>
    </message>
    <message>
        <source>hole ratio</source>
        <translation>taux de trous</translation>
    </message>
    <message>
        <source>masks</source>
        <translation>masques</translation>
    </message>
    <message>
        <source>One training batch as the network receives it</source>
        <translation>Un lot d’entraînement tel que le réseau le reçoit</translation>
    </message>
    <message>
        <source>The masked inputs of the context branch for batch 1 of epoch 1 of a run with the Training tab&apos;s settings (dataset, seed, image size, batch size, augmentation, hole ratio, mask source and fill): the same split, order and masks as that run</source>
        <translation>Les entrées masquées de la branche de contexte pour le lot 1 de l’époque 1 d’un entraînement avec les réglages de l’onglet Entraînement (jeu de données, graine, taille d’image, taille de lot, augmentation, taux de trous, source des masques et remplissage) : même partition, même ordre et mêmes masques que cet entraînement</translation>
    </message>
    <message>
        <source>Show trainin&amp;g batch</source>
        <translation>Afficher &amp;un lot d’entraînement</translation>
    </message>
    <message>
        <source>Compute the first training batch with the Training tab&apos;s settings (B)</source>
        <translation>Calculer le premier lot d’entraînement avec les réglages de l’onglet Entraînement (B)</translation>
    </message>
    <message>
        <source>Preparing the batch…</source>
        <translation>Préparation du lot…</translation>
    </message>
    <message>
        <source>%1 (the first %2 of %3 images)</source>
        <translation>%1 (les %2 premières des %3 images)</translation>
    </message>
    <message>
        <source>No batch: %1</source>
        <translation>Pas de lot : %1</translation>
    </message>
    <message>
        <source>Folder of mask images</source>
        <translation>Dossier d’images de masques</translation>
    </message>
    <message>
        <source>Reading the masks of %1…</source>
        <translation>Lecture des masques de %1…</translation>
    </message>
    <message>
        <source>%v of %m masks</source>
        <translation>%v masques sur %m</translation>
    </message>
    <message>
        <source>%1 of %2 masks in %3</source>
        <translation>%1 masques sur %2 dans %3</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped</source>
        <translation>
            <numerusform>%n fichier ignoré</numerusform>
            <numerusform>%n fichiers ignorés</numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped:</source>
        <translation>Ignorés :</translation>
    </message>
    <message>
        <source>%1: none of its %2 masks has a hole ratio in %3 (their ratios go from %4 to %5). Choose a hole-ratio interval the masks cover, or another folder.</source>
        <translation>%1 : aucun de ses %2 masques n’a un taux de trous dans %3 (leurs taux vont de %4 à %5). Choisissez un intervalle que les masques couvrent, ou un autre dossier.</translation>
    </message>
    <message>
        <source>Reading the mask folder…</source>
        <translation>Lecture du dossier de masques…</translation>
    </message>
    <message>
        <source>No mask in the interval</source>
        <translation>Aucun masque dans l’intervalle</translation>
    </message>
    <message>
        <source>Seed %1: %2 % of the pixels removed</source>
        <translation>Graine %1 : %2 % des pixels retirés</translation>
    </message>
    <message>
        <source>Mean hole ratio %1 %</source>
        <translation>Taux de trous moyen %1 %</translation>
    </message>
    <message>
        <source>%1 masks: mean %2 %, from %3 to %4 % (interval %5)</source>
        <translation>%1 masques : moyenne %2 %, de %3 à %4 % (intervalle %5)</translation>
    </message>
    <message>
        <source> (in percent)</source>
        <translation> (en pourcentage)</translation>
    </message>
</context>
<context>
    <name>msup::ui::PathField</name>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
</context>
<context>
    <name>msup::ui::PredictionPanel</name>
    <message>
        <source>Open checkpoint…</source>
        <translation>Ouvrir un point de contrôle…</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>Prédire</translation>
    </message>
    <message>
        <source>Export overlay…</source>
        <translation>Exporter la superposition…</translation>
    </message>
    <message>
        <source>Save the image with the predicted classes as PNG  [Ctrl+E]</source>
        <translation>Enregistrer l&apos;image avec les classes prédites en PNG  [Ctrl+E]</translation>
    </message>
    <message>
        <source>Prediction opacity:</source>
        <translation>Opacité de la prédiction&#xa0;:</translation>
    </message>
    <message>
        <source>Open checkpoint</source>
        <translation>Ouvrir un point de contrôle</translation>
    </message>
    <message>
        <source>MaskSup checkpoints (*.pt);;All files (*)</source>
        <translation>Points de contrôle MaskSup (*.pt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Reading the checkpoint…</source>
        <translation>Lecture du point de contrôle…</translation>
    </message>
    <message>
        <source>Predicting…</source>
        <translation>Prédiction…</translation>
    </message>
    <message>
        <source>Prediction failed.</source>
        <translation>Échec de la prédiction.</translation>
    </message>
    <message>
        <source>Could not load the checkpoint “%1”.</source>
        <translation>Impossible de charger le point de contrôle «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Could not segment the image “%1”.</source>
        <translation>Impossible de segmenter l&apos;image «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Choose a checkpoint written by MaskSup Studio (a .pt file in the checkpoints folder of a run) with Open checkpoint….</source>
        <translation>Choisissez un point de contrôle écrit par MaskSup Studio (un fichier .pt du dossier checkpoints d&apos;un entraînement) avec Ouvrir un point de contrôle….</translation>
    </message>
    <message>
        <source>Check that the image file is complete and readable, or open another image.</source>
        <translation>Vérifiez que le fichier image est complet et lisible, ou ouvrez une autre image.</translation>
    </message>
    <message>
        <source>Overlay failed: %1</source>
        <translation>Échec de la superposition&#xa0;: %1</translation>
    </message>
    <message>
        <source>No checkpoint yet: train a model (Training tab) or open a checkpoint.</source>
        <translation>Pas encore de point de contrôle&#xa0;: entraînez un modèle (onglet Entraînement) ou ouvrez un point de contrôle.</translation>
    </message>
    <message>
        <source>Checkpoint: %1</source>
        <translation>Point de contrôle&#xa0;: %1</translation>
    </message>
    <message>
        <source>Checkpoint: %1 — %2, width %3, mode %4, %5 px, epoch %6, validation mIoU %7, classes: %8 (runs on %9)</source>
        <translation>Point de contrôle&#xa0;: %1 — %2, largeur %3, mode %4, %5&#xa0;px, époque %6, mIoU de validation %7, classes&#xa0;: %8 (exécuté sur %9)</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>Image&#xa0;: %1</translation>
    </message>
    <message>
        <source>No prediction yet</source>
        <translation>Pas encore de prédiction</translation>
    </message>
    <message>
        <source>There is no prediction to export yet.</source>
        <translation>Il n&apos;y a pas encore de prédiction à exporter.</translation>
    </message>
    <message>
        <source>Select an image and a checkpoint, wait for the prediction, then export.</source>
        <translation>Sélectionnez une image et un point de contrôle, attendez la prédiction, puis exportez.</translation>
    </message>
    <message>
        <source>Export overlay</source>
        <translation>Exporter la superposition</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>Could not export the overlay to “%1”.</source>
        <translation>Impossible d&apos;exporter la superposition vers «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Choose a folder you can write to and try again.</source>
        <translation>Choisissez un dossier où vous pouvez écrire et réessayez.</translation>
    </message>
    <message>
        <source>Overlay saved to %1</source>
        <translation>Superposition enregistrée dans %1</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Prédiction</translation>
    </message>
    <message>
        <source>No image selected</source>
        <translation>Aucune image sélectionnée</translation>
    </message>
    <message>
        <source>Open images…</source>
        <translation>Ouvrir des images…</translation>
    </message>
    <message>
        <source>Segment image files that are not in the dataset (you can also drop files or folders on this panel)</source>
        <translation>Segmenter des fichiers image absents du jeu de données (vous pouvez aussi déposer des fichiers ou des dossiers sur ce panneau)</translation>
    </message>
    <message>
        <source>Open folder…</source>
        <translation>Ouvrir un dossier…</translation>
    </message>
    <message>
        <source>Segment every image of a folder in the background</source>
        <translation>Segmenter chaque image d&apos;un dossier en arrière-plan</translation>
    </message>
    <message>
        <source>Segment the image on show again</source>
        <translation>Segmenter de nouveau l&apos;image affichée</translation>
    </message>
    <message>
        <source>%v of %m images</source>
        <translation>%v images sur %m</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop predicting the opened images after the current one  [Esc]</source>
        <translation>Arrêter la prédiction des images ouvertes après l&apos;image en cours  [Échap]</translation>
    </message>
    <message>
        <source>&amp;Run:</source>
        <translation>&amp;Entraînement&#xa0;:</translation>
    </message>
    <message>
        <source>The checkpoint that segments the images (recent ones listed)</source>
        <translation>Le point de contrôle qui segmente les images (les récents sont listés)</translation>
    </message>
    <message>
        <source>Choose a checkpoint (.pt) written by a run</source>
        <translation>Choisir un point de contrôle (.pt) écrit par un entraînement</translation>
    </message>
    <message>
        <source>Compare &amp;with:</source>
        <translation>Comparer &amp;avec&#xa0;:</translation>
    </message>
    <message>
        <source>A second run&apos;s checkpoint, shown side by side or as a swipe</source>
        <translation>Le point de contrôle d&apos;un second entraînement, affiché côte à côte ou par balayage</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>Comparer avec…</translation>
    </message>
    <message>
        <source>Choose a second checkpoint to compare with the first</source>
        <translation>Choisir un second point de contrôle à comparer avec le premier</translation>
    </message>
    <message>
        <source>Opened images: ✓ marks the ones predicted  [PgUp/PgDn]</source>
        <translation>Images ouvertes&#xa0;: ✓ marque celles qui sont prédites  [Pg préc/Pg suiv]</translation>
    </message>
    <message>
        <source>Previous image  [PgUp]</source>
        <translation>Image précédente  [Pg préc]</translation>
    </message>
    <message>
        <source>Previous image</source>
        <translation>Image précédente</translation>
    </message>
    <message>
        <source>Next image  [PgDn]</source>
        <translation>Image suivante  [Pg suiv]</translation>
    </message>
    <message>
        <source>Next image</source>
        <translation>Image suivante</translation>
    </message>
    <message>
        <source>Wheel or +/− to zoom, drag to pan, double-click or 0 to fit; in swipe mode drag the divider or press ←/→</source>
        <translation>Molette ou +/− pour zoomer, glisser pour déplacer, double clic ou 0 pour ajuster ; en mode balayage, faites glisser le séparateur ou appuyez sur ←/→</translation>
    </message>
    <message>
        <source>&amp;Legend:</source>
        <translation>&amp;Légende&#xa0;:</translation>
    </message>
    <message>
        <source>Untick a class to leave it unpainted (Space toggles the selected row)</source>
        <translation>Décochez une classe pour ne pas la peindre (Espace bascule la ligne sélectionnée)</translation>
    </message>
    <message>
        <source>&amp;Focus:</source>
        <translation>&amp;Cible&#xa0;:</translation>
    </message>
    <message>
        <source>Error mode: compare one class with the rest, or every class</source>
        <translation>Mode erreurs&#xa0;: comparer une classe avec les autres, ou toutes les classes</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>Remplissage</translation>
    </message>
    <message>
        <source>Paint every pixel with its predicted class  [F]</source>
        <translation>Peindre chaque pixel de sa classe prédite  [F]</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Contours</translation>
    </message>
    <message>
        <source>Paint only the boundaries of the predicted regions  [O]</source>
        <translation>Ne peindre que les contours des régions prédites  [O]</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>0 %: the image only, 100 %: the class colours only</source>
        <translation>0&#xa0;%&#xa0;: l&apos;image seule, 100&#xa0;%&#xa0;: les couleurs des classes seules</translation>
    </message>
    <message>
        <source>&amp;View:</source>
        <translation>&amp;Vue&#xa0;:</translation>
    </message>
    <message>
        <source>Single</source>
        <translation>Seul</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Côte à côte</translation>
    </message>
    <message>
        <source>Swipe</source>
        <translation>Balayage</translation>
    </message>
    <message>
        <source>How two runs are compared: run A alone, both side by side, or a swipe divider  [M]</source>
        <translation>Comment deux entraînements sont comparés&#xa0;: l&apos;entraînement A seul, les deux côte à côte, ou un séparateur à balayer  [M]</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No checkpoint</source>
        <translation>Aucun point de contrôle</translation>
    </message>
    <message>
        <source>No comparison</source>
        <translation>Aucune comparaison</translation>
    </message>
    <message>
        <source>Compare with checkpoint</source>
        <translation>Comparer avec un point de contrôle</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>Ouvrir des images</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>Ouvrir un dossier d&apos;images</translation>
    </message>
    <message>
        <source>No image to open.</source>
        <translation>Aucune image à ouvrir.</translation>
    </message>
    <message>
        <source>Choose PNG, JPEG, BMP or TIFF files, or a folder that holds some.</source>
        <translation>Choisissez des fichiers PNG, JPEG, BMP ou TIFF, ou un dossier qui en contient.</translation>
    </message>
    <message>
        <source>Could not predict with the compared checkpoint “%1”: %2</source>
        <translation>Impossible de prédire avec le point de contrôle comparé «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>No ground truth for error mode: %1</source>
        <translation>Pas de vérité terrain pour le mode erreurs&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cancelling after the current image…</source>
        <translation>Annulation après l&apos;image en cours…</translation>
    </message>
    <message>
        <source>Predicting the opened images failed.</source>
        <translation>La prédiction des images ouvertes a échoué.</translation>
    </message>
    <message>
        <source>Cancelled: %1 of %2 images predicted.</source>
        <translation>Annulé&#xa0;: %1 images prédites sur %2.</translation>
    </message>
    <message>
        <source>%1 of %2 images predicted; %3 could not be read.</source>
        <translation>%1 images prédites sur %2 ; %3 n&apos;ont pas pu être lues.</translation>
    </message>
    <message>
        <source>All %1 images predicted.</source>
        <translation>Les %1 images ont toutes été prédites.</translation>
    </message>
    <message>
        <source>Could not load the checkpoint to predict the opened images.</source>
        <translation>Impossible de charger le point de contrôle pour prédire les images ouvertes.</translation>
    </message>
    <message>
        <source>Colour each pixel by how the prediction compares with the ground truth: true positives green, false positives red, false negatives blue  [E]</source>
        <translation>Colorer chaque pixel selon la comparaison de la prédiction avec la vérité terrain&#xa0;: vrais positifs en vert, faux positifs en rouge, faux négatifs en bleu  [E]</translation>
    </message>
    <message>
        <source>Error mode needs ground truth: select a sample of the dataset (opened image files have no labels).</source>
        <translation>Le mode erreurs nécessite une vérité terrain&#xa0;: sélectionnez un échantillon du jeu de données (les fichiers image ouverts n&apos;ont pas d&apos;étiquettes).</translation>
    </message>
    <message>
        <source>Error mode needs ground truth and a prediction: wait for both, or check the labels.</source>
        <translation>Le mode erreurs nécessite une vérité terrain et une prédiction&#xa0;: attendez les deux, ou vérifiez les étiquettes.</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>Toutes les classes</translation>
    </message>
    <message>
        <source>No labelled pixel to compare in this image.</source>
        <translation>Aucun pixel étiqueté à comparer dans cette image.</translation>
    </message>
    <message>
        <source>Predicted with %1.</source>
        <translation>Prédit avec %1.</translation>
    </message>
    <message>
        <source>Predicted with %1 and %2.</source>
        <translation>Prédit avec %1 et %2.</translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A&#xa0;: %1</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B&#xa0;: %1</translation>
    </message>
    <message>
        <source>The background of a two-class task is never painted</source>
        <translation>Le fond d&apos;une tâche à deux classes n&apos;est jamais peint</translation>
    </message>
    <message>
        <source>Right class</source>
        <translation>Bonne classe</translation>
    </message>
    <message>
        <source>True positive</source>
        <translation>Vrai positif</translation>
    </message>
    <message>
        <source>False positive</source>
        <translation>Faux positif</translation>
    </message>
    <message>
        <source>False negative</source>
        <translation>Faux négatif</translation>
    </message>
    <message>
        <source>Wrong class</source>
        <translation>Mauvaise classe</translation>
    </message>
    <message>
        <source>%1 — %2 px</source>
        <translation>%1 — %2&#xa0;px</translation>
    </message>
    <message>
        <source>%1 — %2 %</source>
        <translation>%1 — %2&#xa0;%</translation>
    </message>
    <message>
        <source>Compared with: %1 — %2, epoch %3, validation mIoU %4</source>
        <translation>Comparé avec&#xa0;: %1 — %2, époque %3, mIoU de validation %4</translation>
    </message>
    <message>
        <source>No image selected: select a sample, or open images or a folder.</source>
        <translation>Aucune image sélectionnée&#xa0;: sélectionnez un échantillon, ou ouvrez des images ou un dossier.</translation>
    </message>
    <message>
        <source>Errors of %1: %2 px right class, %3 px wrong class</source>
        <translation>Erreurs de %1&#xa0;: %2&#xa0;px de bonne classe, %3&#xa0;px de mauvaise classe</translation>
    </message>
    <message>
        <source>Errors of %1: %2 px true positive, %3 px false positive, %4 px false negative</source>
        <translation>Erreurs de %1&#xa0;: %2&#xa0;px vrais positifs, %3&#xa0;px faux positifs, %4&#xa0;px faux négatifs</translation>
    </message>
    <message>
        <source>Uncertainty</source>
        <translation>Incertitude</translation>
    </message>
    <message>
        <source>Heat map of the per-pixel uncertainty: black certain, pale yellow unsure (normalised entropy; with flip TTA, where the passes disagree)  [U]</source>
        <translation>Carte de chaleur de l&apos;incertitude par pixel&#xa0;: noir certain, jaune pâle incertain (entropie normalisée&#xa0;; avec la TTA par retournements, là où les passes divergent)  [U]</translation>
    </message>
    <message>
        <source>Uncertainty of %1: mean %2 (black 0 = certain, pale yellow 1 = unsure)</source>
        <translation>Incertitude de %1&#xa0;: moyenne %2 (noir 0 = certain, jaune pâle 1 = incertain)</translation>
    </message>
</context>
<context>
    <name>msup::ui::ProjectController</name>
    <message>
        <source>New untitled project</source>
        <translation>Nouveau projet sans titre</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Ouvrir un projet</translation>
    </message>
    <message>
        <source>MaskSup Studio projects (*.masksup);;All files (*)</source>
        <translation>Projets MaskSup Studio (*.masksup);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>“%1” could not be opened as a project.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;a pas pu être ouvert comme projet.</translation>
    </message>
    <message>
        <source>Opened project %1</source>
        <translation>Projet %1 ouvert</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>Enregistrer le projet</translation>
    </message>
    <message>
        <source>The project could not be saved to “%1”.</source>
        <translation>Le projet n&apos;a pas pu être enregistré dans «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Saved project %1</source>
        <translation>Projet %1 enregistré</translation>
    </message>
    <message>
        <source>project</source>
        <translation>projet</translation>
    </message>
    <message>
        <source>MaskSup Studio projects (*.masksup)</source>
        <translation>Projets MaskSup Studio (*.masksup)</translation>
    </message>
    <message>
        <source>The project could not be saved. Discard its changes?</source>
        <translation>Le projet n&apos;a pas pu être enregistré. Abandonner ses modifications&#xa0;?</translation>
    </message>
    <message>
        <source>Unsaved project</source>
        <translation>Projet non enregistré</translation>
    </message>
    <message>
        <source>Save the untitled project before closing?</source>
        <translation>Enregistrer le projet sans titre avant de fermer&#xa0;?</translation>
    </message>
    <message>
        <source>Save the untitled project first?</source>
        <translation>Enregistrer d&apos;abord le projet sans titre&#xa0;?</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>Échec de l&apos;enregistrement automatique&#xa0;: %1</translation>
    </message>
    <message>
        <source>Autosaved to %1</source>
        <translation>Enregistré automatiquement dans %1</translation>
    </message>
    <message>
        <source>The last project (%1) is no longer there.</source>
        <translation>Le dernier projet (%1) n&apos;existe plus.</translation>
    </message>
    <message>
        <source>Restore project</source>
        <translation>Restaurer le projet</translation>
    </message>
    <message>
        <source>MaskSup Studio did not close normally last time. Restore the untitled project it kept?</source>
        <translation>MaskSup Studio ne s&apos;est pas fermé normalement la dernière fois. Restaurer le projet sans titre qu&apos;il a conservé&#xa0;?</translation>
    </message>
    <message>
        <source>Autosaved %1 in %2.</source>
        <translation>Enregistré automatiquement le %1 dans %2.</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Restaurer</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n entry(ies) that no longer exist from the recent list: %1</source>
        <translation>
            <numerusform>%n&#xa0;entrée qui n&apos;existe plus a été retirée de la liste des éléments récents&#xa0;: %1</numerusform>
            <numerusform>%n&#xa0;entrées qui n&apos;existent plus ont été retirées de la liste des éléments récents&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The project file holds the dataset choice, the training settings and the list of runs started from this window. Without saving, that list and the settings are lost; the run folders themselves (checkpoints, metrics) stay on disk and can be opened again.</source>
        <translation>Le fichier de projet contient le choix du jeu de données, les réglages d&apos;entraînement et la liste des entraînements lancés depuis cette fenêtre. Sans enregistrement, cette liste et les réglages sont perdus ; les dossiers des entraînements eux-mêmes (points de contrôle, métriques) restent sur le disque et peuvent être rouverts.</translation>
    </message>
</context>
<context>
    <name>msup::ui::RobustnessPanel</name>
    <message>
        <source>none (clean)</source>
        <translation>aucun (image intacte)</translation>
    </message>
    <message>
        <source>Robustness under masking</source>
        <translation>Robustesse au masquage</translation>
    </message>
    <message>
        <source>Evaluates checkpoints on images whose pixels are hidden by masks of increasing hole ratio. The masks depend only on the seed, so every checkpoint (e.g. a baseline and a MaskSup run) sees the same masks.</source>
        <translation>Évalue des points de contrôle sur des images dont des pixels sont cachés par des masques de taux de trous croissant. Les masques ne dépendent que de la graine : chaque point de contrôle (par exemple une référence et un entraînement MaskSup) voit les mêmes masques.</translation>
    </message>
    <message>
        <source>&amp;Checkpoints:</source>
        <translation>&amp;Points de contrôle :</translation>
    </message>
    <message>
        <source>The checkpoints to compare, each named after its run folder; hover an entry for its path</source>
        <translation>Les points de contrôle à comparer, chacun nommé d’après le dossier de son entraînement ; survolez une entrée pour voir son chemin</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <source>Add checkpoints (.pt files, e.g. RUN/checkpoints/best.pt)</source>
        <translation>Ajouter des points de contrôle (fichiers .pt, par exemple RUN/checkpoints/best.pt)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <source>Remove the selected checkpoints from the list</source>
        <translation>Retirer de la liste les points de contrôle sélectionnés</translation>
    </message>
    <message>
        <source>dataset folder</source>
        <translation>dossier du jeu de données</translation>
    </message>
    <message>
        <source>The dataset to evaluate on; its classes must match the checkpoints&apos;</source>
        <translation>Le jeu de données d’évaluation ; ses classes doivent être celles des points de contrôle</translation>
    </message>
    <message>
        <source>Choose the dataset folder</source>
        <translation>Choisir le dossier du jeu de données</translation>
    </message>
    <message>
        <source>&amp;Dataset:</source>
        <translation>&amp;Jeu de données :</translation>
    </message>
    <message>
        <source>“val”: each run&apos;s saved validation split, “train”, “all”, or an official split of the format (e.g. GLaS “testA”)</source>
        <translation>« val » : la partition de validation enregistrée de chaque entraînement, « train », « all », ou une partition officielle du format (par exemple GLaS « testA »)</translation>
    </message>
    <message>
        <source>S&amp;plit:</source>
        <translation>Pa&amp;rtition :</translation>
    </message>
    <message>
        <source>Increasing hole ratios from 0 to 1: 0 is the clean level, each later value r closes the interval (previous, r]</source>
        <translation>Taux de trous croissants de 0 à 1 : 0 est le niveau intact, chaque valeur r suivante ferme l’intervalle (précédente, r]</translation>
    </message>
    <message>
        <source>&amp;Hole ratios:</source>
        <translation>&amp;Taux de trous :</translation>
    </message>
    <message>
        <source>Mask seed: the same seed gives the same masks for every checkpoint</source>
        <translation>Graine des masques : la même graine donne les mêmes masques pour chaque point de contrôle</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>&amp;Graine :</translation>
    </message>
    <message>
        <source>empty = the generator</source>
        <translation>vide = le générateur</translation>
    </message>
    <message>
        <source>Optional: draw each level&apos;s masks from this folder of mask images (white = hole) instead of generating them</source>
        <translation>Facultatif : tirer les masques de chaque niveau de ce dossier d’images de masques (blanc = trou) au lieu de les générer</translation>
    </message>
    <message>
        <source>Choose a folder of mask images</source>
        <translation>Choisir un dossier d’images de masques</translation>
    </message>
    <message>
        <source>Mas&amp;k folder:</source>
        <translation>Dossier de mas&amp;ques :</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>GPU CUDA</translation>
    </message>
    <message>
        <source>Where the checkpoints run</source>
        <translation>Où les points de contrôle s’exécutent</translation>
    </message>
    <message>
        <source>D&amp;evice:</source>
        <translation>&amp;Matériel :</translation>
    </message>
    <message>
        <source>E&amp;xample predictions</source>
        <translation>E&amp;xemples de prédictions</translation>
    </message>
    <message>
        <source>Also show, for the split&apos;s first image, the masked input and the prediction at every level (the masks evaluated for it)</source>
        <translation>Afficher aussi, pour la première image de la partition, l’entrée masquée et la prédiction à chaque niveau (les masques évalués pour elle)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lancer</translation>
    </message>
    <message>
        <source>Evaluate every checkpoint at every hole ratio  [Ctrl+Shift+R]</source>
        <translation>Évaluer chaque point de contrôle à chaque taux de trous  [Ctrl+Maj+R]</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop after the current image  [Esc]</source>
        <translation>Arrêter après l’image en cours  [Échap]</translation>
    </message>
    <message>
        <source>Run robustness evaluation</source>
        <translation>Lancer l’évaluation de robustesse</translation>
    </message>
    <message>
        <source>Cancel robustness evaluation</source>
        <translation>Annuler l’évaluation de robustesse</translation>
    </message>
    <message>
        <source>Progress over all checkpoints</source>
        <translation>Progression sur tous les points de contrôle</translation>
    </message>
    <message>
        <source>What the evaluation is doing, or what it did</source>
        <translation>Ce que fait l’évaluation, ou ce qu’elle a fait</translation>
    </message>
    <message>
        <source>Why the evaluation failed, with the file concerned</source>
        <translation>Pourquoi l’évaluation a échoué, avec le fichier concerné</translation>
    </message>
    <message>
        <source>mIoU against the hole ratio (upper edge of each interval; 0 = clean), one curve per checkpoint</source>
        <translation>mIoU en fonction du taux de trous (borne supérieure de chaque intervalle ; 0 = intacte), une courbe par point de contrôle</translation>
    </message>
    <message>
        <source>hole ratio (upper edge of the interval; 0 = clean)</source>
        <translation>taux de trous (borne supérieure de l’intervalle ; 0 = intacte)</translation>
    </message>
    <message>
        <source>mIoU</source>
        <translation>mIoU</translation>
    </message>
    <message>
        <source>C&amp;hart</source>
        <translation>&amp;Graphique</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Point de contrôle</translation>
    </message>
    <message>
        <source>Hole ratio</source>
        <translation>Taux de trous</translation>
    </message>
    <message>
        <source>Mean hole ratio</source>
        <translation>Taux de trous moyen</translation>
    </message>
    <message>
        <source>Dice</source>
        <translation>Dice</translation>
    </message>
    <message>
        <source>Pixel accuracy</source>
        <translation>Exactitude par pixel</translation>
    </message>
    <message>
        <source>The figures of every checkpoint at every hole-ratio interval</source>
        <translation>Les chiffres de chaque point de contrôle pour chaque intervalle de taux de trous</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>&amp;Tableau</translation>
    </message>
    <message>
        <source>Checkpoint:</source>
        <translation>Point de contrôle :</translation>
    </message>
    <message>
        <source>Whose predictions to show</source>
        <translation>Les prédictions de quel point de contrôle afficher</translation>
    </message>
    <message>
        <source>Top: the input as the network sees it (holes mid-grey); bottom: its prediction over the image</source>
        <translation>En haut : l’entrée telle que le réseau la voit (trous en gris moyen) ; en bas : sa prédiction sur l’image</translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation>E&amp;xemples</translation>
    </message>
    <message>
        <source>Export p&amp;lot…</source>
        <translation>Exporter le g&amp;raphique…</translation>
    </message>
    <message>
        <source>Save the chart as a PNG image</source>
        <translation>Enregistrer le graphique en image PNG</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <source>Save the figures of all checkpoints as one CSV file: one line per checkpoint and hole-ratio interval, the first column “checkpoint” giving the checkpoint&apos;s path, then ratio_low, ratio_high, mean_hole_ratio, miou, dice, pixel_accuracy and iou_&lt;class&gt; as “masksup robustness --csv” writes them</source>
        <translation>Enregistrer les chiffres de tous les points de contrôle dans un seul fichier CSV : une ligne par point de contrôle et intervalle de taux de trous, la première colonne « checkpoint » donnant le chemin du point de contrôle, puis ratio_low, ratio_high, mean_hole_ratio, miou, dice, pixel_accuracy et iou_&lt;classe&gt; comme les écrit « masksup robustness --csv »</translation>
    </message>
    <message>
        <source>Add checkpoints</source>
        <translation>Ajouter des points de contrôle</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt);;All files (*)</source>
        <translation>Points de contrôle (*.pt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Dataset folder</source>
        <translation>Dossier du jeu de données</translation>
    </message>
    <message>
        <source>Folder of mask images</source>
        <translation>Dossier d’images de masques</translation>
    </message>
    <message>
        <source>Add at least one checkpoint (a .pt file of a training run, e.g. RUN/checkpoints/best.pt).</source>
        <translation>Ajoutez au moins un point de contrôle (un fichier .pt d’un entraînement, par exemple RUN/checkpoints/best.pt).</translation>
    </message>
    <message>
        <source>%1: the checkpoint file does not exist. Remove it from the list or train the run again.</source>
        <translation>%1 : le fichier du point de contrôle n’existe pas. Retirez-le de la liste ou relancez l’entraînement.</translation>
    </message>
    <message>
        <source>Choose the dataset to evaluate on (Browse…).</source>
        <translation>Choisissez le jeu de données d’évaluation (Parcourir…).</translation>
    </message>
    <message>
        <source>%1: the dataset folder does not exist.</source>
        <translation>%1 : le dossier du jeu de données n’existe pas.</translation>
    </message>
    <message>
        <source>Hole ratios: %1</source>
        <translation>Taux de trous : %1</translation>
    </message>
    <message>
        <source>%1: the mask folder does not exist. Clear the field to use the generator.</source>
        <translation>%1 : le dossier de masques n’existe pas. Videz le champ pour utiliser le générateur.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Checkpoint %1 of %2 (%3): %4 of %5 predictions</source>
        <translation>Point de contrôle %1 sur %2 (%3) : %4 prédictions sur %5</translation>
    </message>
    <message>
        <source>Checkpoint %1 of %2 (%3): loading…</source>
        <translation>Point de contrôle %1 sur %2 (%3) : chargement…</translation>
    </message>
    <message>
        <source>Robustness evaluation cancelled.</source>
        <translation>Évaluation de robustesse annulée.</translation>
    </message>
    <message>
        <source>%1 of %2 checkpoints evaluated on %3 images of the “%4” split, mask seed %5.</source>
        <translation>%1 points de contrôle sur %2 évalués sur %3 images de la partition « %4 », graine des masques %5.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulée.</translation>
    </message>
    <message>
        <source>No checkpoint could be evaluated.</source>
        <translation>Aucun point de contrôle n’a pu être évalué.</translation>
    </message>
    <message>
        <source>Run an evaluation to see example predictions.</source>
        <translation>Lancez une évaluation pour voir des exemples de prédictions.</translation>
    </message>
    <message>
        <source>No example predictions: %1</source>
        <translation>Pas d’exemples de prédictions : %1</translation>
    </message>
    <message>
        <source>Example predictions were switched off for this run.</source>
        <translation>Les exemples de prédictions étaient désactivés pour cette évaluation.</translation>
    </message>
    <message>
        <source>Image “%1”: the input as the network sees it (top) and the prediction (bottom) at each hole ratio.</source>
        <translation>Image « %1 » : l’entrée telle que le réseau la voit (en haut) et la prédiction (en bas) à chaque taux de trous.</translation>
    </message>
    <message>
        <source>Input at %1 (as the network sees it)</source>
        <translation>Entrée à %1 (telle que le réseau la voit)</translation>
    </message>
    <message>
        <source>Prediction at %1</source>
        <translation>Prédiction à %1</translation>
    </message>
    <message>
        <source>CSV written to %1</source>
        <translation>CSV écrit dans %1</translation>
    </message>
    <message>
        <source>%1: the chart could not be written. Choose a folder you can write to.</source>
        <translation>%1 : le graphique n’a pas pu être écrit. Choisissez un dossier accessible en écriture.</translation>
    </message>
    <message>
        <source>Chart written to %1</source>
        <translation>Graphique écrit dans %1</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Exporter le graphique</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>mIoU (at the original image size)</source>
        <translation>mIoU (à la taille d&apos;origine des images)</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) could not be decoded and were left out: %1</source>
        <translation>
            <numerusform>%n paire n&apos;a pas pu être décodée et a été écartée&#xa0;: %1</numerusform>
            <numerusform>%n paires n&apos;ont pas pu être décodées et ont été écartées&#xa0;: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::RunsPanel</name>
    <message>
        <source>Run</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Préréglage</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <source>Best mIoU</source>
        <translation>Meilleur mIoU</translation>
    </message>
    <message>
        <source>Best epoch</source>
        <translation>Meilleure époque</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Périphérique</translation>
    </message>
    <message>
        <source>%1 w%2</source>
        <translation>%1 l%2</translation>
    </message>
    <message numerus="yes">
        <source>Robustness curve: %n level(s)</source>
        <translation>
            <numerusform>Courbe de robustesse&#xa0;: %n&#xa0;niveau</numerusform>
            <numerusform>Courbe de robustesse&#xa0;: %n&#xa0;niveaux</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add run folder…</source>
        <translation>&amp;Ajouter un dossier d&apos;entraînement…</translation>
    </message>
    <message>
        <source>Add one run folder (the output folder of a training run)</source>
        <translation>Ajouter un dossier d&apos;entraînement (le dossier de sortie d&apos;un entraînement)</translation>
    </message>
    <message>
        <source>Add all runs &amp;in folder…</source>
        <translation>Ajouter tous les entraînements d&apos;un &amp;dossier…</translation>
    </message>
    <message>
        <source>Add every run folder found directly inside a folder</source>
        <translation>Ajouter chaque dossier d&apos;entraînement trouvé directement dans un dossier</translation>
    </message>
    <message>
        <source>Re&amp;move from list</source>
        <translation>&amp;Retirer de la liste</translation>
    </message>
    <message>
        <source>Remove the selected runs from this list (their files are kept)</source>
        <translation>Retirer de cette liste les entraînements sélectionnés (leurs fichiers sont conservés)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Actuali&amp;ser</translation>
    </message>
    <message>
        <source>Refresh runs</source>
        <translation>Actualiser les entraînements</translation>
    </message>
    <message>
        <source>Read every run folder again (%1)</source>
        <translation>Relire chaque dossier d&apos;entraînement (%1)</translation>
    </message>
    <message>
        <source>&amp;Export chart…</source>
        <translation>&amp;Exporter le graphique…</translation>
    </message>
    <message>
        <source>mIoU per epoch as PNG…</source>
        <translation>mIoU par époque en PNG…</translation>
    </message>
    <message>
        <source>mIoU per epoch as CSV…</source>
        <translation>mIoU par époque en CSV…</translation>
    </message>
    <message>
        <source>Robustness under masking as PNG…</source>
        <translation>Robustesse au masquage en PNG…</translation>
    </message>
    <message>
        <source>Robustness under masking as CSV…</source>
        <translation>Robustesse au masquage en CSV…</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <source>hole ratio (upper edge of the interval; 0 = clean)</source>
        <translation>taux de trous (borne supérieure de l&apos;intervalle ; 0 = intacte)</translation>
    </message>
    <message>
        <source>mIoU</source>
        <translation>mIoU</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n run(s)…</source>
        <translation>
            <numerusform>Lecture de %n&#xa0;entraînement…</numerusform>
            <numerusform>Lecture de %n&#xa0;entraînements…</numerusform>
        </translation>
    </message>
    <message>
        <source>Add run folder</source>
        <translation>Ajouter un dossier d&apos;entraînement</translation>
    </message>
    <message>
        <source>%1 holds no %2: it is not a training run&apos;s folder. Choose the folder a run wrote (its --out folder).</source>
        <translation>%1 ne contient pas de %2&#xa0;: ce n&apos;est pas le dossier d&apos;un entraînement. Choisissez le dossier écrit par un entraînement (son dossier --out).</translation>
    </message>
    <message>
        <source>Add all runs in folder</source>
        <translation>Ajouter tous les entraînements d&apos;un dossier</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) added.</source>
        <translation>
            <numerusform>%n&#xa0;entraînement ajouté.</numerusform>
            <numerusform>%n&#xa0;entraînements ajoutés.</numerusform>
        </translation>
    </message>
    <message>
        <source>No new run folder (a sub-folder with a %1) in %2.</source>
        <translation>Aucun nouveau dossier d&apos;entraînement (un sous-dossier avec un %1) dans %2.</translation>
    </message>
    <message>
        <source>mIoU under masking: no selected run has a %1</source>
        <translation>mIoU sous masquage&#xa0;: aucun entraînement sélectionné n&apos;a de %1</translation>
    </message>
    <message>
        <source>Add run folders (the output folders of training runs) to compare them.</source>
        <translation>Ajoutez des dossiers d&apos;entraînement (les dossiers de sortie des entraînements) pour les comparer.</translation>
    </message>
    <message>
        <source>Select two or more runs (Ctrl+click, Shift+click) to overlay their curves; double-click a run to open it.</source>
        <translation>Sélectionnez deux entraînements ou plus (Ctrl+clic, Maj+clic) pour superposer leurs courbes ; double-cliquez sur un entraînement pour l&apos;ouvrir.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) selected.</source>
        <translation>
            <numerusform>%n&#xa0;entraînement sélectionné.</numerusform>
            <numerusform>%n&#xa0;entraînements sélectionnés.</numerusform>
        </translation>
    </message>
    <message>
        <source>CSV written to %1</source>
        <translation>CSV écrit dans %1</translation>
    </message>
    <message>
        <source>%1: the chart could not be written. Choose a folder you can write to.</source>
        <translation>%1&#xa0;: le graphique n&apos;a pas pu être écrit. Choisissez un dossier accessible en écriture.</translation>
    </message>
    <message>
        <source>Chart written to %1</source>
        <translation>Graphique écrit dans %1</translation>
    </message>
    <message>
        <source>Export chart as PNG</source>
        <translation>Exporter le graphique en PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <source>Export chart as CSV</source>
        <translation>Exporter le graphique en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>%1 · epoch %2 · mIoU %3</source>
        <translation>%1 · époque %2 · mIoU %3</translation>
    </message>
    <message>
        <source>%1 · hole ratio %2 · mIoU %3</source>
        <translation>%1 · taux de trous %2 · mIoU %3</translation>
    </message>
    <message>
        <source>Export re&amp;port…</source>
        <translation>Exporter un ra&amp;pport…</translation>
    </message>
    <message>
        <source>Write an HTML or PDF report of the selected run: charts, final and best metrics, per-class IoU, confusion matrix, example predictions and, for a binary dataset, the object metrics</source>
        <translation>Écrire un rapport HTML ou PDF de l&apos;entraînement sélectionné&#xa0;: graphiques, métriques finales et meilleures, IoU par classe, matrice de confusion, exemples de prédictions et, pour un jeu de données binaire, les métriques par objet</translation>
    </message>
    <message>
        <source>Select one run to export its report.</source>
        <translation>Sélectionnez un seul entraînement pour exporter son rapport.</translation>
    </message>
    <message>
        <source>Export run report</source>
        <translation>Exporter le rapport de l&apos;entraînement</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf)</source>
        <translation>Rapport HTML (*.html);;Rapport PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The run&apos;s dataset is no longer at %1. Locate it to show example predictions in the report, or export the report without them.</source>
        <translation>Le jeu de données de l&apos;entraînement n&apos;est plus dans %1. Localisez-le pour montrer des exemples de prédictions dans le rapport, ou exportez le rapport sans eux.</translation>
    </message>
    <message>
        <source>&amp;Locate dataset…</source>
        <translation>&amp;Localiser le jeu de données…</translation>
    </message>
    <message>
        <source>&amp;Without examples</source>
        <translation>&amp;Sans exemples</translation>
    </message>
    <message>
        <source>Locate the run&apos;s dataset</source>
        <translation>Localiser le jeu de données de l&apos;entraînement</translation>
    </message>
    <message>
        <source>A report is already being written; wait for it or cancel it.</source>
        <translation>Un rapport est déjà en cours d&apos;écriture ; attendez-le ou annulez-le.</translation>
    </message>
    <message>
        <source>Writing the report of %1…</source>
        <translation>Écriture du rapport de %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Report cancelled: nothing was written.</source>
        <translation>Rapport annulé&#xa0;: rien n&apos;a été écrit.</translation>
    </message>
    <message numerus="yes">
        <source>Report written to %1 (%n example prediction(s)).</source>
        <translation>
            <numerusform>Rapport écrit dans %1 (%n&#xa0;exemple de prédiction).</numerusform>
            <numerusform>Rapport écrit dans %1 (%n&#xa0;exemples de prédictions).</numerusform>
        </translation>
    </message>
    <message>
        <source>The report could not be written: %1</source>
        <translation>Le rapport n&apos;a pas pu être écrit&#xa0;: %1</translation>
    </message>
    <message>
        <source>The runs could not be read: %1</source>
        <translation>Les entraînements n&apos;ont pas pu être lus&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Report of %1: %2</source>
        <translation>Rapport de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Validation mIoU, computed on images resized to the training size; evaluate and robustness score at the images&apos; original size, so their figures differ slightly</source>
        <translation>mIoU de validation, calculé sur les images redimensionnées à la taille d&apos;entraînement ; l&apos;évaluation et la robustesse mesurent à la taille d&apos;origine des images, d&apos;où des valeurs légèrement différentes</translation>
    </message>
    <message>
        <source>Validation mIoU per epoch (at the training size)</source>
        <translation>mIoU de validation par époque (à la taille d&apos;entraînement)</translation>
    </message>
    <message>
        <source>mIoU under masking, at the original size (RUN_DIR/%1)</source>
        <translation>mIoU sous masquage, à la taille d&apos;origine (RUN_DIR/%1)</translation>
    </message>
    <message>
        <source>Object F1</source>
        <translation>F1 objets</translation>
    </message>
    <message>
        <source>Object Dice</source>
        <translation>Dice objets</translation>
    </message>
    <message>
        <source>Object Hausdorff</source>
        <translation>Hausdorff objets</translation>
    </message>
    <message>
        <source>GlaS challenge object metrics of the best checkpoint on the validation split (binary datasets, finished runs; at the images&apos; original size, as evaluate). Object F1: a predicted object is a true positive when it covers at least half of the ground-truth object it overlaps most. Object Dice and object Hausdorff (pixels): area-weighted over the objects of both sides, mean over the images.</source>
        <translation>Métriques par objet du challenge GlaS du meilleur point de contrôle sur les images de validation (jeux de données binaires, entraînements terminés ; à la taille d&apos;origine des images, comme l&apos;évaluation). F1 objets&#xa0;: un objet prédit est un vrai positif s&apos;il couvre au moins la moitié de l&apos;objet de la vérité terrain qu&apos;il chevauche le plus. Dice et Hausdorff objets (en pixels)&#xa0;: pondérés par l&apos;aire des objets des deux côtés, moyenne sur les images.</translation>
    </message>
    <message>
        <source>Object metrics are computed for binary datasets only.</source>
        <translation>Les métriques par objet ne sont calculées que pour les jeux de données binaires.</translation>
    </message>
    <message>
        <source>Evaluating the best checkpoint on the validation split…</source>
        <translation>Évaluation du meilleur point de contrôle sur les images de validation…</translation>
    </message>
    <message>
        <source>The object metrics could not be computed: %1</source>
        <translation>Les métriques par objet n&apos;ont pas pu être calculées&#xa0;: %1</translation>
    </message>
    <message>
        <source>Computed once the run has finished with a best checkpoint.</source>
        <translation>Calculées une fois l&apos;entraînement terminé avec un meilleur point de contrôle.</translation>
    </message>
    <message numerus="yes">
        <source>%1 on the validation split (%n image(s)): %2 true positive, %3 false positive, %4 false negative object(s); per-image Dice: mean %5, median %6; HD95: mean %7 pixels</source>
        <translation>
            <numerusform>%1 sur les images de validation (%n&#xa0;image)&#xa0;: objets vrais positifs %2, faux positifs %3, faux négatifs %4&#xa0;; Dice par image&#xa0;: moyenne %5, médiane %6&#xa0;; HD95&#xa0;: moyenne %7 pixels</numerusform>
            <numerusform>%1 sur les images de validation (%n&#xa0;images)&#xa0;: objets vrais positifs %2, faux positifs %3, faux négatifs %4&#xa0;; Dice par image&#xa0;: moyenne %5, médiane %6&#xa0;; HD95&#xa0;: moyenne %7 pixels</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>msup::ui::SampleDatasetDialog</name>
    <message>
        <source>Generate sample dataset</source>
        <translation>Générer un jeu de données d&apos;exemple</translation>
    </message>
    <message>
        <source>Writes a small procedural dataset you can train on right away. The same options always give the same files.</source>
        <translation>Écrit un petit jeu de données procédural sur lequel vous pouvez entraîner immédiatement. Les mêmes options donnent toujours les mêmes fichiers.</translation>
    </message>
    <message>
        <source>Glands (binary, Kvasir-SEG layout)</source>
        <translation>Glandes (binaire, organisation Kvasir-SEG)</translation>
    </message>
    <message>
        <source>Scenes (6 classes, NYUDv2 RefineNet layout)</source>
        <translation>Scènes (6 classes, organisation NYUDv2 RefineNet)</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Type&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Images:</source>
        <translation>&amp;Images&#xa0;:</translation>
    </message>
    <message>
        <source> px</source>
        <translation>&#xa0;px</translation>
    </message>
    <message>
        <source>Image &amp;size:</source>
        <translation>&amp;Taille des images&#xa0;:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>&amp;Graine&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Dossier&#xa0;:</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Générer</translation>
    </message>
    <message>
        <source>Folder for the sample dataset</source>
        <translation>Dossier du jeu de données d&apos;exemple</translation>
    </message>
    <message>
        <source>Choose a folder for the dataset.</source>
        <translation>Choisissez un dossier pour le jeu de données.</translation>
    </message>
    <message>
        <source>The folder “%1” is not empty. Files with the same names will be replaced. Continue?</source>
        <translation>Le dossier «&#xa0;%1&#xa0;» n&apos;est pas vide. Les fichiers de même nom seront remplacés. Continuer&#xa0;?</translation>
    </message>
    <message>
        <source>built-in glands sample (Kvasir-SEG layout)</source>
        <translation>exemple de glandes intégré (disposition Kvasir-SEG)</translation>
    </message>
</context>
<context>
    <name>msup::ui::SampleListModel</name>
    <message>
        <source>%1, frame %2</source>
        <translation>%1, image %2</translation>
    </message>
    <message>
        <source>Split: %1</source>
        <translation>Partition&#xa0;: %1</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>Vérifié</translation>
    </message>
    <message>
        <source>Edited: its mask was corrected by hand</source>
        <translation>Modifié&#xa0;: son masque a été corrigé à la main</translation>
    </message>
    <message>
        <source>Suggested to annotate: %1 of %2 (mean uncertainty %3)</source>
        <translation>Suggérée à annoter&#xa0;: %1 sur %2 (incertitude moyenne %3)</translation>
    </message>
</context>
<context>
    <name>msup::ui::SettingsForm</name>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>%1: %2 is refused, the value must be from %3 to %4.</source>
        <translation>%1&#xa0;: %2 est refusé, la valeur doit aller de %3 à %4.</translation>
    </message>
</context>
<context>
    <name>msup::ui::TrainingCharts</name>
    <message>
        <source>Epoch</source>
        <translation>Époque</translation>
    </message>
    <message>
        <source>Validation IoU</source>
        <translation>IoU de validation</translation>
    </message>
    <message>
        <source>Click a class in the legend to hide or show it; hover a point for its value</source>
        <translation>Cliquez sur une classe dans la légende pour la masquer ou l&apos;afficher ; survolez un point pour voir sa valeur</translation>
    </message>
    <message>
        <source>%1 · epoch %2 · IoU %3</source>
        <translation>%1 · époque %2 · IoU %3</translation>
    </message>
    <message>
        <source>Per-class IoU</source>
        <translation>IoU par classe</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Taux d&apos;apprentissage</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>taux d&apos;apprentissage</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>Classe prédite</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>Classe réelle</translation>
    </message>
    <message>
        <source>Share of the true class</source>
        <translation>Part de la classe réelle</translation>
    </message>
    <message>
        <source>Rows: true class; columns: predicted class; each row sums to 1. Click a cell.</source>
        <translation>Lignes&#xa0;: classe réelle ; colonnes&#xa0;: classe prédite ; la somme de chaque ligne vaut 1. Cliquez sur une case.</translation>
    </message>
    <message>
        <source>true %1 → predicted %2: %3 of its pixels (%4)</source>
        <translation>réelle %1 → prédite %2&#xa0;: %3 de ses pixels (%4)</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>Matrice de confusion</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>Exporter le graphique…</translation>
    </message>
    <message>
        <source>Save the chart shown as PNG, SVG or CSV</source>
        <translation>Enregistrer le graphique affiché en PNG, SVG ou CSV</translation>
    </message>
    <message>
        <source>class %1</source>
        <translation>classe %1</translation>
    </message>
    <message>
        <source>Confusion matrix (epoch %1)</source>
        <translation>Matrice de confusion (époque %1)</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Exporter le graphique</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;CSV table (*.csv)</source>
        <translation>Image PNG (*.png);;Dessin SVG (*.svg);;Tableau CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>msup::ui::TrainingPanel</name>
    <message>
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1&#xa0;h&#xa0;%2&#xa0;min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1&#xa0;min&#xa0;%2&#xa0;s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>Run settings</source>
        <translation>Réglages de l&apos;entraînement</translation>
    </message>
    <message>
        <source>U-Net</source>
        <translation>U-Net</translation>
    </message>
    <message>
        <source>Segmentation network</source>
        <translation>Réseau de segmentation</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modèle&#xa0;:</translation>
    </message>
    <message>
        <source>Channels of the first U-Net level (doubled at each level). Small widths train fast on a CPU.</source>
        <translation>Canaux du premier niveau du U-Net (doublés à chaque niveau). Les petites largeurs s&apos;entraînent vite sur un processeur.</translation>
    </message>
    <message>
        <source>&amp;Width:</source>
        <translation>&amp;Largeur&#xa0;:</translation>
    </message>
    <message>
        <source>Baseline (segmentation loss only)</source>
        <translation>Référence (perte de segmentation seule)</translation>
    </message>
    <message>
        <source>+ context branch</source>
        <translation>+ branche de contexte</translation>
    </message>
    <message>
        <source>MaskSup (context + task similarity)</source>
        <translation>MaskSup (contexte + similarité)</translation>
    </message>
    <message>
        <source>The three ablation modes of the paper</source>
        <translation>Les trois modes d&apos;ablation de l&apos;article</translation>
    </message>
    <message>
        <source>M&amp;ode:</source>
        <translation>M&amp;ode&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Epochs:</source>
        <translation>É&amp;poques&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>&amp;Taille de lot&#xa0;:</translation>
    </message>
    <message>
        <source> px</source>
        <translation>&#xa0;px</translation>
    </message>
    <message>
        <source>Images are resized to this square size for training (the paper uses 224; 128 is a sensible choice on a CPU).</source>
        <translation>Les images sont redimensionnées à ce format carré pour l&apos;entraînement (l&apos;article utilise 224 ; 128 est un choix raisonnable sur processeur).</translation>
    </message>
    <message>
        <source>&amp;Image size:</source>
        <translation>Taille d&apos;&amp;image&#xa0;:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>Processeur (CPU)</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>GPU CUDA</translation>
    </message>
    <message>
        <source>No CUDA device is available to this build</source>
        <translation>Aucun périphérique CUDA n&apos;est disponible pour cette version</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>Périp&amp;hérique&#xa0;:</translation>
    </message>
    <message>
        <source>Seeds the split, the weights, the batches and the masks</source>
        <translation>Initialise le partage des données, les poids, les lots et les masques</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>&amp;Graine&#xa0;:</translation>
    </message>
    <message>
        <source>Adam learning rate (the paper: 0.0001)</source>
        <translation>Taux d&apos;apprentissage d&apos;Adam (l&apos;article&#xa0;: 0,0001)</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>Taux d&apos;&amp;apprentissage&#xa0;:</translation>
    </message>
    <message>
        <source>Share of pixels the masks remove: “high” (50–60 %), “low” (1–10 %) or “A-B”, e.g. 0.2-0.3</source>
        <translation>Part des pixels retirés par les masques&#xa0;: «&#xa0;high&#xa0;» (50 à 60&#xa0;%), «&#xa0;low&#xa0;» (1 à 10&#xa0;%) ou «&#xa0;A-B&#xa0;», par ex. 0.2-0.3</translation>
    </message>
    <message>
        <source>&amp;Hole ratio:</source>
        <translation>Proportion de t&amp;rous&#xa0;:</translation>
    </message>
    <message>
        <source>Run folder: %1, %2, %3 and %4/ are written here. Leave empty for a new dated folder.</source>
        <translation>Dossier de l&apos;entraînement&#xa0;: %1, %2, %3 et %4/ y sont écrits. Laissez vide pour un nouveau dossier daté.</translation>
    </message>
    <message>
        <source>&amp;Run folder:</source>
        <translation>&amp;Dossier de l&apos;entraînement&#xa0;:</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>Démarrer l&apos;entraînement</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Stop after the current batch; the last completed epoch&apos;s checkpoint is kept</source>
        <translation>Arrêter après le lot en cours ; le point de contrôle de la dernière époque terminée est conservé</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>perte</translation>
    </message>
    <message>
        <source>loss_seg</source>
        <translation>perte segmentation</translation>
    </message>
    <message>
        <source>loss_context</source>
        <translation>perte contexte</translation>
    </message>
    <message>
        <source>loss_tasksim</source>
        <translation>perte similarité</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Époque</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>Dossier de l&apos;entraînement</translation>
    </message>
    <message>
        <source>No dataset is open.</source>
        <translation>Aucun jeu de données n&apos;est ouvert.</translation>
    </message>
    <message>
        <source>Open a dataset folder (File ▸ Open dataset…) before starting a run.</source>
        <translation>Ouvrez un dossier de jeu de données (Fichier ▸ Ouvrir un jeu de données…) avant de démarrer un entraînement.</translation>
    </message>
    <message>
        <source>The run settings are not valid.</source>
        <translation>Les réglages de l&apos;entraînement ne sont pas valides.</translation>
    </message>
    <message>
        <source>Correct the setting and press Start again.</source>
        <translation>Corrigez le réglage et appuyez de nouveau sur Démarrer.</translation>
    </message>
    <message>
        <source>Run folder not empty</source>
        <translation>Dossier de l&apos;entraînement non vide</translation>
    </message>
    <message>
        <source>The run folder “%1” already contains files. Its metrics and checkpoints will be replaced. Continue?</source>
        <translation>Le dossier de l&apos;entraînement «&#xa0;%1&#xa0;» contient déjà des fichiers. Ses métriques et ses points de contrôle seront remplacés. Continuer&#xa0;?</translation>
    </message>
    <message>
        <source>A run is already in progress.</source>
        <translation>Un entraînement est déjà en cours.</translation>
    </message>
    <message>
        <source>Stop it, or wait for it to finish, before starting another one.</source>
        <translation>Arrêtez-le, ou attendez qu&apos;il se termine, avant d&apos;en démarrer un autre.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Preparing the run in %1</source>
        <translation>Préparation de l&apos;entraînement dans %1</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>Arrêt après le lot en cours…</translation>
    </message>
    <message>
        <source>Open a dataset first</source>
        <translation>Ouvrez d&apos;abord un jeu de données</translation>
    </message>
    <message>
        <source>Train on %1</source>
        <translation>Entraîner sur %1</translation>
    </message>
    <message>
        <source>Run folder: %1</source>
        <translation>Dossier de l&apos;entraînement&#xa0;: %1</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Échec de l&apos;entraînement&#xa0;: %1</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>Échec de l&apos;entraînement</translation>
    </message>
    <message>
        <source>The training run stopped with an error.</source>
        <translation>L&apos;entraînement s&apos;est arrêté sur une erreur.</translation>
    </message>
    <message>
        <source>no checkpoint</source>
        <translation>aucun point de contrôle</translation>
    </message>
    <message>
        <source>best mIoU %1 at epoch %2</source>
        <translation>meilleur mIoU %1 à l&apos;époque %2</translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n epoch(s); %1.</source>
        <translation>
            <numerusform>Arrêté après %n&#xa0;époque ; %1.</numerusform>
            <numerusform>Arrêté après %n&#xa0;époques ; %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished %n epoch(s); %1.</source>
        <translation>
            <numerusform>Terminé après %n&#xa0;époque ; %1.</numerusform>
            <numerusform>Terminé après %n&#xa0;époques ; %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <source>U-Net++</source>
        <translation>U-Net++</translation>
    </message>
    <message>
        <source>Paused. Resume continues exactly where the run stopped.</source>
        <translation>En pause. La reprise continue exactement là où l&apos;entraînement s&apos;est arrêté.</translation>
    </message>
    <message>
        <source>LeViT-UNet-128s</source>
        <translation>LeViT-UNet-128s</translation>
    </message>
    <message>
        <source>LeViT-UNet-192</source>
        <translation>LeViT-UNet-192</translation>
    </message>
    <message>
        <source>LeViT-UNet-384 (the paper&apos;s GLaS and polyp model)</source>
        <translation>LeViT-UNet-384 (le modèle de l&apos;article pour GLaS et les polypes)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Hold the run between two batches (Ctrl+P); resuming continues exactly as if it had never paused</source>
        <translation>Suspendre l&apos;entraînement entre deux lots (Ctrl+P) ; la reprise continue exactement comme s&apos;il n&apos;y avait pas eu de pause</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Loss per batch: smoothed (bold) over the raw values (faint). Wheel zooms, drag pans, double click resets.</source>
        <translation>Perte par lot&#xa0;: lissée (en gras) sur les valeurs brutes (en pâle). La molette zoome, le glissement déplace, un double clic réinitialise.</translation>
    </message>
    <message>
        <source>Train and validate with the masks corrected in the Annotate panel (the corrections folder) instead of the originals of those images</source>
        <translation>Entraîner et valider avec les masques corrigés dans le panneau Annotation (le dossier des corrections) au lieu des originaux de ces images</translation>
    </message>
    <message>
        <source>Corrections:</source>
        <translation>Corrections&#xa0;:</translation>
    </message>
    <message>
        <source>Batches done in the current epoch</source>
        <translation>Lots effectués dans l&apos;époque en cours</translation>
    </message>
    <message>
        <source>Batches done in the whole run</source>
        <translation>Lots effectués dans tout l&apos;entraînement</translation>
    </message>
    <message>
        <source>Epoch:</source>
        <translation>Époque&#xa0;:</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Entraînement&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Use corrected masks (%n edited image(s))</source>
        <translation>
            <numerusform>Masques corrigés (%n&#xa0;image modifiée)</numerusform>
            <numerusform>Masques corrigés (%n&#xa0;images modifiées)</numerusform>
        </translation>
    </message>
    <message>
        <source>Use corrected masks (none yet)</source>
        <translation>Masques corrigés (aucun pour l&apos;instant)</translation>
    </message>
    <message>
        <source>This run cannot be resumed.</source>
        <translation>Cet entraînement ne peut pas être repris.</translation>
    </message>
    <message>
        <source>Choose a run folder that holds checkpoints/last.pt (a run started by MaskSup Studio or masksup train).</source>
        <translation>Choisissez un dossier d&apos;entraînement qui contient checkpoints/last.pt (un entraînement lancé par MaskSup Studio ou masksup train).</translation>
    </message>
    <message>
        <source>The run&apos;s dataset is missing.</source>
        <translation>Le jeu de données de l&apos;entraînement est introuvable.</translation>
    </message>
    <message>
        <source>The run trained on %1, which no longer exists. Move the dataset back, then resume.</source>
        <translation>L&apos;entraînement portait sur %1, qui n&apos;existe plus. Remettez le jeu de données en place, puis reprenez.</translation>
    </message>
    <message>
        <source>Resuming %1…</source>
        <translation>Reprise de %1…</translation>
    </message>
    <message>
        <source>bf16 on GPUs that support it (no gradient scaler), fp16 with a gradient scaler on other CUDA GPUs, off on the CPU</source>
        <translation>bf16 sur les GPU qui le prennent en charge (sans mise à l’échelle du gradient), fp16 avec mise à l’échelle du gradient sur les autres GPU CUDA, désactivée sur le CPU</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>bfloat16 autocast (CUDA GPUs that support it, e.g. Ampere and newer)</source>
        <translation>Calcul automatique en bfloat16 (GPU CUDA qui le prennent en charge, p. ex. Ampere et plus récents)</translation>
    </message>
    <message>
        <source>fp16</source>
        <translation>fp16</translation>
    </message>
    <message>
        <source>float16 autocast with a gradient scaler (CUDA only)</source>
        <translation>Calcul automatique en float16 avec mise à l’échelle du gradient (CUDA uniquement)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivée</translation>
    </message>
    <message>
        <source>Full float32 precision everywhere</source>
        <translation>Précision float32 complète partout</translation>
    </message>
    <message>
        <source>Mixed precision: faster training and less GPU memory. Automatic uses bf16 where the GPU supports it, else fp16 with a gradient scaler, and is off on the CPU.</source>
        <translation>Précision mixte&#xa0;: entraînement plus rapide et moins de mémoire GPU. Automatique utilise bf16 si le GPU le prend en charge, sinon fp16 avec mise à l’échelle du gradient, et est désactivée sur le CPU.</translation>
    </message>
    <message>
        <source>Mi&amp;xed precision:</source>
        <translation>Précision mi&amp;xte&#xa0;:</translation>
    </message>
    <message>
        <source>Channels-last memory layout (CUDA)</source>
        <translation>Disposition channels-last (CUDA)</translation>
    </message>
    <message>
        <source>GPU %1: %2 · %3 GiB</source>
        <translation>GPU %1&#xa0;: %2 · %3&#xa0;Gio</translation>
    </message>
    <message>
        <source>cuda:%1 · compute capability %2.%3</source>
        <translation>cuda:%1 · capacité de calcul %2.%3</translation>
    </message>
    <message>
        <source>Run the network in NHWC layout, often faster on GPUs with tensor cores (slower on the CPU). Can be changed when a run is resumed.</source>
        <translation>Exécute le réseau en disposition NHWC, souvent plus rapide sur les GPU à cœurs tensoriels (plus lent sur le CPU). Modifiable à la reprise d’un entraînement.</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Hold the run between two batches, or let it go on (Ctrl+P)</source>
        <translation>Suspendre l&apos;entraînement entre deux lots, ou le laisser continuer (Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>Epoch %1/%2 · batch %3/%4 · loss %5</source>
        <translation>Époque %1/%2 · lot %3/%4 · perte %5</translation>
    </message>
    <message>
        <source>%1 images/s · ETA %2</source>
        <translation>%1&#xa0;images/s · fin dans %2</translation>
    </message>
    <message>
        <source>validation mIoU (training size)</source>
        <translation>mIoU de validation (taille d&apos;entraînement)</translation>
    </message>
    <message>
        <source>Epoch %1: mean loss %2 · validation mIoU %3 · Dice %4 · pixel accuracy %5 · %6 — best mIoU %7 (epoch %8); validation at the training size, %9 px (evaluate and robustness score at the original size)</source>
        <translation>Époque %1&#xa0;: perte moyenne %2 · mIoU de validation %3 · Dice %4 · exactitude par pixel %5 · %6 — meilleur mIoU %7 (époque %8) ; validation à la taille d&apos;entraînement, %9&#xa0;px (l&apos;évaluation et la robustesse mesurent à la taille d&apos;origine)</translation>
    </message>
    <message>
        <source>Validation mIoU</source>
        <translation>mIoU de validation</translation>
    </message>
    <message>
        <source>The paper&apos;s settings, and your own configs saved in %1</source>
        <translation>Les réglages de l&apos;article, et vos propres configurations enregistrées dans %1</translation>
    </message>
    <message>
        <source>&amp;Preset:</source>
        <translation>Pr&amp;éréglage&#xa0;:</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>Réglages avancés</translation>
    </message>
    <message>
        <source>Optimizer, schedule, loss weights, masks, augmentation and resources</source>
        <translation>Optimiseur, programme, poids de la perte, masques, augmentation et ressources</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1&#xa0;:</translation>
    </message>
    <message>
        <source>Load config…</source>
        <translation>Charger une configuration…</translation>
    </message>
    <message>
        <source>Fill the form from a JSON config file, the file &apos;masksup train --config FILE&apos; reads</source>
        <translation>Remplir le formulaire à partir d&apos;un fichier de configuration JSON, celui que lit &apos;masksup train --config FILE&apos;</translation>
    </message>
    <message>
        <source>Save config as…</source>
        <translation>Enregistrer la configuration sous…</translation>
    </message>
    <message>
        <source>Write the form&apos;s settings as a JSON config file for &apos;masksup train --config FILE&apos;; saved in the presets folder, it is listed as a preset</source>
        <translation>Écrire les réglages du formulaire dans un fichier de configuration JSON pour &apos;masksup train --config FILE&apos;&#xa0;; enregistré dans le dossier des préréglages, il apparaît parmi les préréglages</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>Valeurs par défaut</translation>
    </message>
    <message>
        <source>%1 (yours)</source>
        <translation>%1 (le vôtre)</translation>
    </message>
    <message>
        <source>The settings could not be loaded.</source>
        <translation>Les réglages n&apos;ont pas pu être chargés.</translation>
    </message>
    <message>
        <source>defaults</source>
        <translation>valeurs par défaut</translation>
    </message>
    <message>
        <source>%1, edited: %2</source>
        <translation>%1, modifié&#xa0;: %2</translation>
    </message>
    <message>
        <source>The config could not be saved.</source>
        <translation>La configuration n&apos;a pas pu être enregistrée.</translation>
    </message>
    <message>
        <source>Load config</source>
        <translation>Charger une configuration</translation>
    </message>
    <message>
        <source>JSON config files (*.json);;All files (*)</source>
        <translation>Fichiers de configuration JSON (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Save config as</source>
        <translation>Enregistrer la configuration sous</translation>
    </message>
    <message>
        <source>JSON config files (*.json)</source>
        <translation>Fichiers de configuration JSON (*.json)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Timing one batch of this setup before starting…</source>
        <translation>Mesure d&apos;un lot de ce réglage avant de commencer…</translation>
    </message>
    <message>
        <source>One batch of %1 images at %2 px could not be trained here: %3</source>
        <translation>Un lot de %1 images à %2 px n&apos;a pas pu être entraîné ici&#xa0;: %3</translation>
    </message>
    <message>
        <source>Start this run?</source>
        <translation>Lancer cet entraînement&#xa0;?</translation>
    </message>
    <message>
        <source>A smaller model, batch or image size (the quick-cpu preset), or a GPU, makes it practical.</source>
        <translation>Un modèle, un lot ou une taille d&apos;image plus petits (le préréglage quick-cpu), ou un GPU, le rendent praticable.</translation>
    </message>
    <message>
        <source>Start anyway</source>
        <translation>Lancer quand même</translation>
    </message>
    <message>
        <source>Not started: %1</source>
        <translation>Non lancé&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>One batch of %1 images at %2 px takes %3 on %4: about %5 per epoch (%n batch(es)), %6 for the whole run.</source>
        <translation>
            <numerusform>Un lot de %1 images à %2 px prend %3 sur %4&#xa0;: environ %5 par époque (%n lot), %6 pour tout l&apos;entraînement.</numerusform>
            <numerusform>Un lot de %1 images à %2 px prend %3 sur %4&#xa0;: environ %5 par époque (%n lots), %6 pour tout l&apos;entraînement.</numerusform>
        </translation>
    </message>
</context>
</TS>
