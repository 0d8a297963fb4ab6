; Waltz line labelling for CLIPS 6.30: the same program as waltz.lua, rule
; for rule and in the same order, written from the OPS5 benchmark's
; description (Brant, Grose, Lofaso, Miranker, VLDB 1991), so the runner
; can time both tools on the same data (bench/data/waltz/*.fct)
; and compare firing counts and the final labelling.  Depth strategy.
;
; A drawing is a set of lines between points; a point is one integer,
; x * 10000 + y.  The program makes two directed edges of each line, groups
; the edges meeting at a point into junctions (L, fork, tee, arrow), labels
; the outside boundary, and propagates labels (B boundary, + convex,
; - concave) from junction to junction by the Huffman-Clowes catalogue.
;
; Stages: duplicate -> detect_junctions -> find_initial_boundary ->
; find_second_boundary -> labeling -> plot_remaining_edges -> done.  Each
; stage's work has salience 0 (or higher), its "done_" rule -10, so the
; stage only changes once nothing else can fire.

(deftemplate stage (slot value))
(deftemplate line (slot p1) (slot p2))
(deftemplate edge (slot p1) (slot p2) (slot joined) (slot label) (slot plotted))
(deftemplate junction (slot p1) (slot p2) (slot p3) (slot base_point) (slot type))

;;; ---- geometry: classifying a junction of three edges ---------------------

(deffunction point-x (?p) (div ?p 10000))
(deffunction point-y (?p) (mod ?p 10000))

; The direction of the edge from ?from to ?to against the x axis, in
; radians (-pi, pi].  CLIPS 6.30 has no atan2: atan of the slope, moved by
; pi into the left half plane; axis-parallel edges get exact values.
(deffunction edge-angle (?from ?to)
  (bind ?dx (- (point-x ?to) (point-x ?from)))
  (bind ?dy (- (point-y ?to) (point-y ?from)))
  (if (= ?dx 0) then
    (if (> ?dy 0) then (return (/ (pi) 2.0)))
    (if (< ?dy 0) then (return (- 0.0 (/ (pi) 2.0))))
    (return 0.0))
  (if (= ?dy 0) then
    (if (> ?dx 0) then (return 0.0) else (return (pi))))
  (bind ?a (atan (/ (float ?dy) (float ?dx))))
  (if (< ?dx 0) then
    (if (< ?dy 0) then (bind ?a (- ?a (pi))) else (bind ?a (+ ?a (pi)))))
  ?a)

; The smaller angle between the edges from ?base to ?p1 and to ?p2.
(deffunction inscribed-angle (?base ?p1 ?p2)
  (bind ?a (abs (- (edge-angle ?base ?p1) (edge-angle ?base ?p2))))
  (if (> ?a (pi)) then (bind ?a (- (* 2.0 (pi)) ?a)))
  ?a)

; Asserts the junction of the edges from ?base to ?p1, ?p2 and ?p3.  The
; shaft is the edge whose two angles with the others sum smallest (ties go
; to the later candidate, as in the original); the others are the barbs.
; Angles summing to pi make a tee, more than pi a fork, less an arrow.
(deffunction make-3_junction (?base ?p1 ?p2 ?p3)
  (bind ?a12 (inscribed-angle ?base ?p1 ?p2))
  (bind ?a13 (inscribed-angle ?base ?p1 ?p3))
  (bind ?a23 (inscribed-angle ?base ?p2 ?p3))
  (bind ?s1 (+ ?a12 ?a13))
  (bind ?s2 (+ ?a12 ?a23))
  (bind ?s3 (+ ?a13 ?a23))
  (if (< ?s1 ?s2) then
    (if (< ?s1 ?s3)
      then (bind ?sum ?s1) (bind ?shaft ?p1) (bind ?b1 ?p2) (bind ?b2 ?p3)
      else (bind ?sum ?s3) (bind ?shaft ?p3) (bind ?b1 ?p1) (bind ?b2 ?p2))
   else
    (if (< ?s2 ?s3)
      then (bind ?sum ?s2) (bind ?shaft ?p2) (bind ?b1 ?p1) (bind ?b2 ?p3)
      else (bind ?sum ?s3) (bind ?shaft ?p3) (bind ?b1 ?p1) (bind ?b2 ?p2)))
  (if (< (abs (- ?sum (pi))) 0.001) then (bind ?type tee)
   else (if (> ?sum (pi)) then (bind ?type fork) else (bind ?type arrow)))
  (assert (junction (p1 ?b1) (p2 ?shaft) (p3 ?b2) (base_point ?base) (type ?type))))

;;; ---- stage duplicate: each line becomes two directed edges ---------------

(defrule reverse_edges
  (stage (value duplicate))
  ?f2 <- (line (p1 ?p1) (p2 ?p2))
  =>
  (assert (edge (p1 ?p1) (p2 ?p2) (joined false)))
  (assert (edge (p1 ?p2) (p2 ?p1) (joined false)))
  (retract ?f2))

(defrule done_reversing
  (declare (salience -10))
  ?f1 <- (stage (value duplicate))
  =>
  (modify ?f1 (value detect_junctions)))

;;; ---- stage detect_junctions: group the edges at each point ---------------

; Three unjoined edges from one point: a fork, tee or arrow.  Salience 10 so
; that make_L never takes two of three edges.
(defrule make-3_junction
  (declare (salience 10))
  (stage (value detect_junctions))
  ?f2 <- (edge (p1 ?base_point) (p2 ?p1) (joined false))
  ?f3 <- (edge (p1 ?base_point) (p2 ?p2&~?p1) (joined false))
  ?f4 <- (edge (p1 ?base_point) (p2 ?p3&~?p1&~?p2) (joined false))
  =>
  (make-3_junction ?base_point ?p1 ?p2 ?p3)
  (modify ?f2 (joined true))
  (modify ?f3 (joined true))
  (modify ?f4 (joined true)))

; Exactly two edges from one point: an L.
(defrule make_L
  (stage (value detect_junctions))
  ?f2 <- (edge (p1 ?base_point) (p2 ?p2) (joined false))
  ?f3 <- (edge (p1 ?base_point) (p2 ?p3&~?p2) (joined false))
  (not (edge (p1 ?base_point) (p2 ~?p2&~?p3)))
  =>
  (assert (junction (type L) (base_point ?base_point) (p1 ?p2) (p2 ?p3)))
  (modify ?f2 (joined true))
  (modify ?f3 (joined true)))

(defrule done_detecting
  (declare (salience -10))
  ?f1 <- (stage (value detect_junctions))
  =>
  (modify ?f1 (value find_initial_boundary)))

;;; ---- stages find_initial_boundary, find_second_boundary ------------------
; The junctions with the largest and the smallest base point lie on the
; outside of the drawing, so their outer edges are boundaries: that seeds
; the labelling.

(defrule initial_boundary_junction_L
  ?f1 <- (stage (value find_initial_boundary))
  (junction (type L) (base_point ?base_point) (p1 ?p1) (p2 ?p2))
  ?f3 <- (edge (p1 ?base_point) (p2 ?p1))
  ?f4 <- (edge (p1 ?base_point) (p2 ?p2))
  (not (junction (base_point ?bp&:(> ?bp ?base_point))))
  =>
  (modify ?f3 (label B))
  (modify ?f4 (label B))
  (modify ?f1 (value find_second_boundary)))

(defrule initial_boundary_junction_arrow
  ?f1 <- (stage (value find_initial_boundary))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  ?f3 <- (edge (p1 ?bp) (p2 ?p1))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3))
  (not (junction (base_point ?b&:(> ?b ?bp))))
  =>
  (modify ?f3 (label B))
  (modify ?f4 (label +))
  (modify ?f5 (label B))
  (modify ?f1 (value find_second_boundary)))

(defrule second_boundary_junction_L
  ?f1 <- (stage (value find_second_boundary))
  (junction (type L) (base_point ?base_point) (p1 ?p1) (p2 ?p2))
  ?f3 <- (edge (p1 ?base_point) (p2 ?p1))
  ?f4 <- (edge (p1 ?base_point) (p2 ?p2))
  (not (junction (base_point ?bp&:(< ?bp ?base_point))))
  =>
  (modify ?f3 (label B))
  (modify ?f4 (label B))
  (modify ?f1 (value labeling)))

(defrule second_boundary_junction_arrow
  ?f1 <- (stage (value find_second_boundary))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  ?f3 <- (edge (p1 ?bp) (p2 ?p1))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3))
  (not (junction (base_point ?b&:(< ?b ?bp))))
  =>
  (modify ?f3 (label B))
  (modify ?f4 (label +))
  (modify ?f5 (label B))
  (modify ?f1 (value labeling)))

;;; ---- stage labeling: propagate labels -------------------------------------

; A labelled edge gives its reverse edge the same label; both are plotted.
(defrule match_edge
  (stage (value labeling))
  ?f2 <- (edge (p1 ?p1) (p2 ?p2) (label ?label&+|-|B))
  ?f3 <- (edge (p1 ?p2) (p2 ?p1) (label nil))
  =>
  (modify ?f2 (plotted t))
  (modify ?f3 (label ?label) (plotted t)))

; The junction catalogue.  Each rule knows one edge of a junction and
; derives the others; the "A" rules (salience 5) win over their "B" twins
; when both apply.

; An L with a convex or concave edge: the other edge is a boundary.
(defrule label_L
  (stage (value labeling))
  (junction (type L) (base_point ?p1))
  (edge (p1 ?p1) (p2 ?p2) (label +|-))
  ?f4 <- (edge (p1 ?p1) (p2 ~?p2) (label nil))
  =>
  (modify ?f4 (label B)))

; A tee's crossbar edges are boundaries.
(defrule label_tee_A
  (declare (salience 5))
  (stage (value labeling))
  (junction (type tee) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  ?f3 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
  ?f4 <- (edge (p1 ?bp) (p2 ?p3))
  =>
  (modify ?f3 (label B))
  (modify ?f4 (label B)))

(defrule label_tee_B
  (stage (value labeling))
  (junction (type tee) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  ?f3 <- (edge (p1 ?bp) (p2 ?p1))
  ?f4 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
  =>
  (modify ?f3 (label B))
  (modify ?f4 (label B)))

; Forks: one + makes all +; B and - make the third B; B and B make it -;
; - and - make it -.
(defrule label_fork-1
  (stage (value labeling))
  (junction (type fork) (base_point ?bp))
  (edge (p1 ?bp) (p2 ?p1) (label +))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2&~?p1) (label nil))
  ?f5 <- (edge (p1 ?bp) (p2 ~?p2&~?p1))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label +)))

(defrule label_fork-2
  (stage (value labeling))
  (junction (type fork) (base_point ?bp))
  (edge (p1 ?bp) (p2 ?p1) (label B))
  (edge (p1 ?bp) (p2 ?p2&~?p1) (label -))
  ?f5 <- (edge (p1 ?bp) (p2 ~?p2&~?p1) (label nil))
  =>
  (modify ?f5 (label B)))

(defrule label_fork-3
  (stage (value labeling))
  (junction (type fork) (base_point ?bp))
  (edge (p1 ?bp) (p2 ?p1) (label B))
  (edge (p1 ?bp) (p2 ?p2&~?p1) (label B))
  ?f5 <- (edge (p1 ?bp) (p2 ~?p2&~?p1) (label nil))
  =>
  (modify ?f5 (label -)))

(defrule label_fork-4
  (stage (value labeling))
  (junction (type fork) (base_point ?bp))
  (edge (p1 ?bp) (p2 ?p1) (label -))
  (edge (p1 ?bp) (p2 ?p2&~?p1) (label -))
  ?f5 <- (edge (p1 ?bp) (p2 ~?p2&~?p1) (label nil))
  =>
  (modify ?f5 (label -)))

; Arrows (p2 is the shaft, p1 and p3 the barbs).  1, 2: a barb that is B
; or - makes the shaft + and the other barb the same.  3, 4: a + barb makes
; the shaft - and the other barb +.  5: a - shaft makes both barbs +.
(defrule label_arrow-1A
  (declare (salience 5))
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p1) (label ?label&B|-))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label ?label)))

(defrule label_arrow-1B
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p1) (label ?label&B|-))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label ?label)))

(defrule label_arrow-2A
  (declare (salience 5))
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p3) (label ?label&B|-))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
  ?f5 <- (edge (p1 ?bp) (p2 ?p1))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label ?label)))

(defrule label_arrow-2B
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p3) (label ?label&B|-))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2))
  ?f5 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label ?label)))

(defrule label_arrow-3A
  (declare (salience 5))
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p1) (label +))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3))
  =>
  (modify ?f4 (label -))
  (modify ?f5 (label +)))

(defrule label_arrow-3B
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p1) (label +))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
  =>
  (modify ?f4 (label -))
  (modify ?f5 (label +)))

(defrule label_arrow-4A
  (declare (salience 5))
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p3) (label +))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
  ?f5 <- (edge (p1 ?bp) (p2 ?p1))
  =>
  (modify ?f4 (label -))
  (modify ?f5 (label +)))

(defrule label_arrow-4B
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p3) (label +))
  ?f4 <- (edge (p1 ?bp) (p2 ?p2))
  ?f5 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
  =>
  (modify ?f4 (label -))
  (modify ?f5 (label +)))

(defrule label_arrow-5A
  (declare (salience 5))
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p2) (label -))
  ?f4 <- (edge (p1 ?bp) (p2 ?p1))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label +)))

(defrule label_arrow-5B
  (stage (value labeling))
  (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
  (edge (p1 ?bp) (p2 ?p2) (label -))
  ?f4 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
  ?f5 <- (edge (p1 ?bp) (p2 ?p3))
  =>
  (modify ?f4 (label +))
  (modify ?f5 (label +)))

(defrule done_labeling
  (declare (salience -10))
  ?f1 <- (stage (value labeling))
  =>
  (modify ?f1 (value plot_remaining_edges)))

;;; ---- stage plot_remaining_edges: report every edge not yet plotted --------

(defrule plot_remaining
  (stage (value plot_remaining_edges))
  ?f2 <- (edge (plotted nil) (label ?label&~nil) (p1 ?p1) (p2 ?p2))
  =>
  (printout t "Plot " ?label " " ?p1 " " ?p2 crlf)
  (modify ?f2 (plotted t)))

; An edge no rule could label is taken for a boundary (true of the
; benchmark's drawings).
(defrule plot_boundaries
  (stage (value plot_remaining_edges))
  ?f2 <- (edge (plotted nil) (label nil) (p1 ?p1) (p2 ?p2))
  =>
  (printout t "Plot B " ?p1 " " ?p2 crlf)
  (modify ?f2 (plotted t)))

; The end: lists the final label of every edge (not a rule firing of its
; own, so the count stays the benchmark's) for the runner to compare.
(defrule done_plotting
  (declare (salience -10))
  ?f1 <- (stage (value plot_remaining_edges))
  =>
  (do-for-all-facts ((?e edge)) TRUE
    (printout t "Label " ?e:p1 " " ?e:p2 " " ?e:label crlf))
  (modify ?f1 (value done)))
